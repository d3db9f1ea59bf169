// Open a YAML file in yaml-language-server (as VS Code does) and print what it reports:
// node editor_lsp.js SERVER FILE [LINE:COLUMN]  -> DIAGNOSTICS [...] or COMPLETION [...]
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const server = process.argv[2];
const file = path.resolve(process.argv[3]);
const text = fs.readFileSync(file, "utf8");
const uri = "file://" + file;
const srv = spawn(server, ["--stdio"]);
let buf = Buffer.alloc(0), id = 0;
const pending = {};
function send(msg) { const b = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...msg })); srv.stdin.write(`Content-Length: ${b.length}\r\n\r\n`); srv.stdin.write(b); }
function request(method, params) { return new Promise(r => { const i = ++id; pending[i] = r; send({ id: i, method, params }); }); }
srv.stdout.on("data", d => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    const h = buf.indexOf("\r\n\r\n"); if (h < 0) return;
    const len = parseInt(/Content-Length: (\d+)/.exec(buf.slice(0, h).toString())[1]);
    if (buf.length < h + 4 + len) return;
    const msg = JSON.parse(buf.slice(h + 4, h + 4 + len).toString()); buf = buf.slice(h + 4 + len);
    if (msg.id && pending[msg.id]) { pending[msg.id](msg.result); delete pending[msg.id]; }
    else if (msg.method === "textDocument/publishDiagnostics") {
      console.log("DIAGNOSTICS", JSON.stringify(msg.params.diagnostics.map(d => [d.range.start.line + 1, d.message])));
      if (!process.argv[4]) { srv.kill(); process.exit(0); }
    } else if (msg.method === "workspace/configuration") { send({ id: msg.id, result: [{ validate: true, completion: true, hover: true }] }); }
    else if (msg.id !== undefined && msg.method) { send({ id: msg.id, result: null }); }
  }
});
(async () => {
  await request("initialize", { processId: process.pid, rootUri: "file://" + path.dirname(file), capabilities: { textDocument: { completion: { completionItem: { snippetSupport: false } } } } });
  send({ method: "initialized", params: {} });
  send({ method: "workspace/didChangeConfiguration", params: { settings: { yaml: { validate: true, completion: true, hover: true } } } });
  send({ method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "yaml", version: 1, text } } });
  if (process.argv[4]) {
    const [line, ch] = process.argv[4].split(":").map(Number);
    setTimeout(async () => {
      const res = await request("textDocument/completion", { textDocument: { uri }, position: { line: line - 1, character: ch } });
      const items = (res.items || res).map(i => i.label + (i.documentation ? " — " + (i.documentation.value || i.documentation) : ""));
      console.log("COMPLETION", JSON.stringify(items.slice(0, 12)));
      srv.kill(); process.exit(0);
    }, 1500);
  }
})();
setTimeout(() => { console.log("timeout"); process.exit(1); }, 20000);
