// The baseline for bench:push: a bare node:http server on the same machine that reads each request's
// body and answers `success`, with nothing else (no routing, no checks, no database).
import { createServer } from "node:http";

createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end("success"));
}).listen(Number(process.argv[2]), "127.0.0.1");
