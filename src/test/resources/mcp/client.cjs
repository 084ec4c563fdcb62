// An MCP client from another implementation (the official TypeScript SDK) against Steward's MCP server.
//   node client.cjs MODULES stdio COMMAND ARGS...   start Steward (steward mcp) and talk to it over stdio
//   node client.cjs MODULES http URL KEY            talk to a running 'steward serve' at URL (…/mcp) with an API key
// MODULES is the node_modules folder that holds @modelcontextprotocol/sdk (tools/mcp/node_modules).
// Prints one JSON object: the tool names, and the results of calling files.list and files.delete.
const path = require('node:path');
const { createRequire } = require('node:module');

async function main() {
  const [modules, mode, ...rest] = process.argv.slice(2);
  const sdk = createRequire(path.join(path.resolve(modules), 'noop.js'));
  const { Client } = sdk('@modelcontextprotocol/sdk/client/index.js');
  let transport;
  if (mode === 'stdio') {
    const { StdioClientTransport } = sdk('@modelcontextprotocol/sdk/client/stdio.js');
    transport = new StdioClientTransport({ command: rest[0], args: rest.slice(1), env: { ...process.env }, stderr: 'inherit' });
  } else {
    const { StreamableHTTPClientTransport } = sdk('@modelcontextprotocol/sdk/client/streamableHttp.js');
    transport = new StreamableHTTPClientTransport(new URL(rest[0]),
      { requestInit: { headers: { Authorization: `Bearer ${rest[1]}` } } });
  }
  const client = new Client({ name: 'steward-interop-test', version: '1.0.0' });
  await client.connect(transport);
  const listed = await client.listTools();
  const list = await client.callTool({ name: 'files.list', arguments: {} });
  const del = await client.callTool({ name: 'files.delete', arguments: { path: 'notes.txt' } });
  process.stdout.write(JSON.stringify({
    server: client.getServerVersion(),
    tools: listed.tools.map(t => t.name),
    schema: listed.tools.find(t => t.name === 'files.read')?.inputSchema,
    list, del,
  }) + '\n');
  await client.close();
}

main().then(() => process.exit(0), e => { console.error(e && e.stack || String(e)); process.exit(1); });
