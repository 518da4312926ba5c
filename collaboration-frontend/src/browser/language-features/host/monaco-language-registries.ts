import { ILanguageFeaturesService } from '@theia/monaco-editor-core/esm/vs/editor/common/services/languageFeatures';
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
