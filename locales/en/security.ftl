outbox-link-hidden = [link hidden]
