import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { StorageService } from '@theia/core/lib/browser/storage-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationPreferences } from '../collaboration-preferences';

const LAST_NAME_KEY = 'ensemble.lastDisplayName';

/**
 * The display name for a session: the preference `collaboration.displayName`
 * when set, else asked (prefilled with the name used last time in this browser).
 */
@injectable()
export class DisplayNamePrompt {
    @inject(CollaborationPreferences) protected readonly preferences!: CollaborationPreferences;
    @inject(QuickInputService) protected readonly quickInput!: QuickInputService;
    @inject(StorageService) protected readonly storage!: StorageService;

    /** Resolves undefined when the user dismissed the input. */
    async getDisplayName(title: string): Promise<string | undefined> {
        const configured = (this.preferences['collaboration.displayName'] ?? '').trim();
        if (configured) {
            return configured.slice(0, 64);
        }
        const last = await this.storage.getData<string>(LAST_NAME_KEY, '');
        const name = await this.quickInput.input({
            title,
            prompt: 'Your name, as the other participants will see it (set collaboration.displayName to skip this question)',
            placeHolder: 'Your name',
            value: last,
            ignoreFocusLost: true,
            validateInput: async text => text.trim().length > 64 ? 'Use at most 64 characters.' : undefined
        });
        const trimmed = name?.trim();
        if (!trimmed) {
            return undefined;
        }
        await this.storage.setData(LAST_NAME_KEY, trimmed);
        return trimmed;
    }
}
