// A TypeScript server plugin: model files import @tensorflow/tfjs, which their workspace rarely
// has installed, since ArchLab brings its own TensorFlow.js. Without this, every model file shows
// "Cannot find module '@tensorflow/tfjs'" and gets no completions. Imports of the tfjs packages
// that the workspace cannot resolve resolve to the declarations shipped with ArchLab instead; a
// workspace with its own tfjs keeps it.
import * as path from "node:path";
import type * as ts from "typescript/lib/tsserverlibrary";

/** The umbrella packages: core and layers together, as ArchLab's engine exposes them. */
const UMBRELLA = new Set(["@tensorflow/tfjs", "@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"]);
const PARTS = new Set(["@tensorflow/tfjs-core", "@tensorflow/tfjs-layers"]);

/** Declarations of the umbrella packages, beside this file; they import ArchLab's tfjs-core and tfjs-layers. */
const UMBRELLA_TYPES = "tfjs.d.ts";

function init({ typescript }: { typescript: typeof ts }): ts.server.PluginModule {
  return {
    create(info) {
      const host = info.languageServiceHost;
      const resolve = host.resolveModuleNameLiterals?.bind(host);
      if (!resolve) return info.languageService;
      const umbrella = path.join(__dirname, UMBRELLA_TYPES);
      host.resolveModuleNameLiterals = (literals, containingFile, redirected, options, ...rest) => {
        const results = resolve(literals, containingFile, redirected, options, ...rest);
        return results.map((result, i) => {
          const name = literals[i].text;
          if (result.resolvedModule || !(UMBRELLA.has(name) || PARTS.has(name))) return result;
          // Resolved as if imported from here: ArchLab's own node_modules.
          const shipped = typescript.resolveModuleName(
            UMBRELLA.has(name) ? "./tfjs" : name,
            umbrella,
            options,
            typescript.sys,
          );
          return shipped.resolvedModule
            ? { resolvedModule: { ...shipped.resolvedModule, isExternalLibraryImport: true } }
            : result;
        });
      };
      return info.languageService;
    },
  };
}

// tsserver requires the factory as the module itself.
module.exports = init;
