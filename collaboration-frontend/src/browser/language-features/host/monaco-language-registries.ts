import { ILanguageFeaturesService } from '@theia/monaco-editor-core/esm/vs/editor/common/services/languageFeatures';
import { ICommandService } from '@theia/monaco-editor-core/esm/vs/platform/commands/common/commands';
import { StandaloneServices } from '@theia/monaco-editor-core/esm/vs/editor/standalone/browser/standaloneServices';
import type { LanguageProviderRegistries } from './host-language-providers';

/**
 * The provider registries of this window's Monaco: where Theia's plugins,
 * language clients and extensions register (monaco.languages.register*).
 * Monaco's internal registry types are the public API's with internal model
 * types, hence the one cast.
 */
export function monacoLanguageRegistries(): LanguageProviderRegistries {
    return StandaloneServices.get(ILanguageFeaturesService) as unknown as LanguageProviderRegistries;
}

/** Runs a command as Monaco runs a code action's command (Theia's commands first, then Monaco's own). */
export function executeMonacoCommand(id: string, args: readonly unknown[]): Promise<unknown> {
    return StandaloneServices.get(ICommandService).executeCommand(id, ...args);
}
