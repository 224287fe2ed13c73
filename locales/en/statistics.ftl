stat-error-period = A period is a year (2022), a quarter (2022-Q3) or a month (2022-07).
stat-error-empty = The value is empty.
stat-error-number = This is not a number: write digits, with a comma or a point before the decimals.
stat-error-integer = This indicator takes whole numbers.
stat-error-yes-no = Answer yes or no (1 or 0).
stat-error-below = The value is below the indicator's range.
stat-error-above = The value is above the indicator's range.
