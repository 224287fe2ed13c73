outbox-link-hidden = [посилання приховано]
