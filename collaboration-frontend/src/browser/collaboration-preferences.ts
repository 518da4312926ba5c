import { interfaces } from '@theia/core/shared/inversify';
import { createPreferenceProxy, PreferenceProxy, PreferenceService } from '@theia/core/lib/common/preferences';
import { PreferenceContribution, PreferenceSchema } from '@theia/core/lib/common/preferences/preference-schema';

export const CollaborationPreferenceSchema: PreferenceSchema = {
    title: 'Collaboration',
    properties: {
        'collaboration.serverUrl': {
            type: 'string',
            default: '',
            description: 'URL of the Ensemble coordination server (for example https://ensemble.example.com). Empty: the server embedded in this application.',
        },
        'collaboration.displayName': {
            type: 'string',
            default: '',
            description: 'The name other participants see. Empty: asked when you start or join a session.',
        },
        'collaboration.autoAccept': {
            type: 'string',
            enum: ['off', 'read-only', 'read-write'],
            default: 'off',
            description: 'When hosting: accept every join request without asking, with this permission.',
        },
        'collaboration.allowList': {
            type: 'array',
            items: { type: 'string' },
            default: [],
            description: 'When hosting: display names accepted read-write without asking. Names are what guests type, not verified identities: use it only on a server whose room creation and invites you control.',
        },
    },
};

export interface CollaborationConfiguration {
    'collaboration.serverUrl': string;
    'collaboration.displayName': string;
    'collaboration.autoAccept': 'off' | 'read-only' | 'read-write';
    'collaboration.allowList': string[];
}

export const CollaborationPreferences = Symbol('CollaborationPreferences');
export type CollaborationPreferences = PreferenceProxy<CollaborationConfiguration>;

export function bindCollaborationPreferences(bind: interfaces.Bind): void {
    bind(CollaborationPreferences).toDynamicValue(ctx =>
        createPreferenceProxy(ctx.container.get(PreferenceService), CollaborationPreferenceSchema)
    ).inSingletonScope();
    bind(PreferenceContribution).toConstantValue({ schema: CollaborationPreferenceSchema });
}
