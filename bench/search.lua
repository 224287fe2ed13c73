-- wrk script: each request searches for the next of a fixed list of queries (prefixes,
-- inflected forms, English, typos, type words, one letter), so the p99 covers the slow ones.
local queries = {
  "%D0%92%D1%96%D0%BD%D0%BD%D0%B8%D1%86",                     -- Вінниц
  "%D0%B2%D1%96%D0%BD%D0%BD%D0%B8%D1%86%D1%8C%D0%BA%D1%96%D0%B9", -- вінницькій
  "vinnyts",
  "%D0%96%D0%B8%D1%82%D0%BE%D0%BC%D1%80",                     -- Житомр
  "%D0%BA%D0%B8%D1%94%D0%B2%D1%96",                           -- києві
  "bila%20tserkva",
  "%D0%B1%D1%96%D0%BB%D0%B0%20%D1%86%D0%B5%D1%80%D0%BA%D0%B2%D0%B0", -- біла церква
  "%D0%B7%D0%B5%D0%BB%D0%B5%D0%BD%D0%B8%D0%B9%20%D0%B3%D0%B0%D0%B9",   -- зелений гай
  "%D1%81",                                                   -- с
  "%D0%9A%D0%B0%D0%BC%E2%80%99%D1%8F%D0%BD%D0%B5%D1%86%D1%8C-%D0%9F%D0%BE%D0%B4%D1%96%D0%BB%D1%8C%D1%81%D1%8C%D0%BA%D0%B8%D0%B9", -- Кам’янець-Подільський
  "zaporizhzhia%20oblast",
  "%D0%BE%D0%B4%D0%B5%D1%81%D0%B0",                           -- одеса
}
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/uk/units?q=" .. queries[i])
end
