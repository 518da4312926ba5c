import type { interfaces } from '@theia/core/shared/inversify';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { LanguageFeaturesContribution } from './language-features-contribution';

/** The host's language features and diagnostics for guests. */
export function bindLanguageFeatures(bind: interfaces.Bind): void {
    bind(LanguageFeaturesContribution).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(LanguageFeaturesContribution);
}
