-- Issue 16: notices that anyone can trigger for an address (someone applying to the club with
-- a member's address, or with the address of an open application) go to that address at most
-- once a day; the check looks up the outbox by recipient and kind.
CREATE INDEX outbox_to_kind ON outbox (to_addr, kind, created_at);
