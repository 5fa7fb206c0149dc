/**
 * Annotation of a kagent RemoteMCPServer or MCPServer naming the tools the server declares (comma-separated), written
 * from `tools` of `addMcpServer()` / `addRemoteMcpServer()`. kagent lists a server's tools only at run time (status);
 * the annotation makes the declaration part of the object, so the platform check `agent-references-resolve` checks the
 * `toolNames` of every Agent against it, agents and servers added by hand included. No annotation: any name.
 */
export const MCP_TOOLS_ANNOTATION = 'agentic-eks.io/mcp-tools';

/** The annotations of a server that declares `tools` (none when it declares none). */
export function declaredToolsAnnotations(tools: string[] | undefined): { [key: string]: string } | undefined {
  return tools === undefined ? undefined : { [MCP_TOOLS_ANNOTATION]: tools.join(',') };
}
