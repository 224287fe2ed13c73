// A loopback SMTP server for the browser journey: accepts every message and writes it to
// MAIL_DIR as JSON ({to, subject, messageId, listUnsubscribe(Post), text}) with the plain-text part decoded, so the journey can
// follow the links hromada mails. Prints the port it listens on, then serves until killed.

import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const dir = process.env.MAIL_DIR;
if (!dir) throw new Error('MAIL_DIR is not set');
mkdirSync(dir, { recursive: true });
let count = 0;

// RFC 2047 encoded words in a header (B and Q encodings).
function decodeWords(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset, enc, data) => {
      const bytes = enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return new TextDecoder(charset).decode(bytes);
    });
}

function headersOf(block) {
  const out = {};
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function decodeBody(body, encoding) {
  const enc = (encoding || '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (m, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return Buffer.from(body, 'latin1').toString('utf8');
}

// The text/plain part of a message (searching nested multiparts).
function plainText(headers, body) {
  const type = headers['content-type'] || 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type);
  if (!boundary) return type.toLowerCase().startsWith('text/plain') ? decodeBody(body, headers['content-transfer-encoding']) : '';
  for (const part of body.split(`--${boundary[1]}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const found = plainText(headersOf(part.slice(0, split).replace(/^\r\n/, '')), part.slice(split + 4));
    if (found) return found;
  }
  return '';
}

function store(recipients, data) {
  const split = data.indexOf('\r\n\r\n');
  const headers = headersOf(data.slice(0, split));
  const text = plainText(headers, data.slice(split + 4).replace(/\r\n\.\./g, '\r\n.'));
  count += 1;
  const message = {
    to: recipients,
    subject: decodeWords(headers.subject || ''),
    messageId: headers['message-id'] || '',
    listUnsubscribe: headers['list-unsubscribe'] || '',
    listUnsubscribePost: headers['list-unsubscribe-post'] || '',
    text,
  };
  writeFileSync(join(dir, `${String(count).padStart(4, '0')}.json`), JSON.stringify(message));
}

const server = createServer((socket) => {
  let buffer = '';
  let inData = false;
  let recipients = [];
  socket.write('220 sink ESMTP\r\n');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    for (;;) {
      if (inData) {
        const end = buffer.indexOf('\r\n.\r\n');
        if (end < 0) return;
        store(recipients, Buffer.from(buffer.slice(0, end), 'latin1').toString('latin1'));
        buffer = buffer.slice(end + 5);
        inData = false;
        recipients = [];
        socket.write('250 queued\r\n');
        continue;
      }
      const nl = buffer.indexOf('\r\n');
      if (nl < 0) return;
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') socket.write('250-sink\r\n250 8BITMIME\r\n');
      else if (verb === 'RCPT') {
        recipients.push(/<([^>]*)>/.exec(line)?.[1] || '');
        socket.write('250 ok\r\n');
      } else if (verb === 'DATA') {
        inData = true;
        socket.write('354 go on\r\n');
      } else if (verb === 'QUIT') {
        socket.end('221 bye\r\n');
        return;
      } else socket.write('250 ok\r\n');
    }
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
