/**
 * Loads GitHub's workflow parser. Its ESM build imports its JSON schema without the
 * `with { type: 'json' }` attribute Node requires (it was written for bundlers), so a module
 * hook adds the attribute for that one file before the parser is imported.
 */
// Taken from the process, not through the test runner's module graph, which serves its own
// copy of node:module without registerHooks.
const { registerHooks } = process.getBuiltinModule('node:module');

registerHooks({
  load(url, context, nextLoad) {
    if (url.includes('@actions/workflow-parser') && url.endsWith('.json')) {
      return nextLoad(url, {
        ...context,
        importAttributes: { ...context.importAttributes, type: 'json' },
      });
    }
    return nextLoad(url, context);
  },
});

const parser = await import('@actions/workflow-parser');

/** Errors GitHub's parser reports for a workflow file; empty when it is valid. */
export function workflowErrors(path: string, content: string): string[] {
  const result = parser.parseWorkflow({ name: path, content }, new parser.NoOperationTraceWriter());
  if (!result.value) return ['the parser produced no workflow'];
  return result.context.errors.getErrors().map((e) => e.message);
}
