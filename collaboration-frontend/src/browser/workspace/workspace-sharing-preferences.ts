import { DEFAULT_EXCLUDED_GLOBS } from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import { createPreferenceProxy, PreferenceService, type PreferenceProxy } from '@theia/core/lib/common/preferences';
import { PreferenceContribution, type PreferenceSchema } from '@theia/core/lib/common/preferences/preference-schema';
import type { interfaces } from '@theia/core/shared/inversify';

export const EXCLUDED_FILES_PREFERENCE = 'collaboration.excludedFiles';

/**
 * The host decides what guests never see. The globs travel from the host's
 * frontend to its backend, which applies them to every request, listing,
 * search and change event; changing the preference applies at once.
 */
export const WorkspaceSharingPreferenceSchema: PreferenceSchema = {
    title: 'Collaboration',
    properties: {
        [EXCLUDED_FILES_PREFERENCE]: {
            type: 'array',
            items: { type: 'string' },
            default: [...DEFAULT_EXCLUDED_GLOBS],
            description: 'When hosting: glob patterns (relative to each shared folder, case-insensitive) of files and folders guests can never see, '
                + 'read, search, write or delete. A folder that matches hides everything inside it.'
        }
    }
};

export interface WorkspaceSharingConfiguration {
    [EXCLUDED_FILES_PREFERENCE]: string[];
}

export const WorkspaceSharingPreferences = Symbol('WorkspaceSharingPreferences');
export type WorkspaceSharingPreferences = PreferenceProxy<WorkspaceSharingConfiguration>;

export function bindWorkspaceSharingPreferences(bind: interfaces.Bind): void {
    bind(WorkspaceSharingPreferences).toDynamicValue(ctx =>
        createPreferenceProxy(ctx.container.get(PreferenceService), WorkspaceSharingPreferenceSchema)
    ).inSingletonScope();
    bind(PreferenceContribution).toConstantValue({ schema: WorkspaceSharingPreferenceSchema });
}
