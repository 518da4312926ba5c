import * as parcelWatcher from '@theia/core/shared/@parcel/watcher';
import { checkRelativePath, type FileChangeType, type WorkspaceFileChange } from '../../common/workspace-sharing-protocol';
import type { SharedRoot } from './shared-root';

const CHANGE_TYPES: Record<parcelWatcher.EventType, FileChangeType> = { create: 'added', update: 'updated', delete: 'deleted' };

/**
 * Watches one shared root (recursively, with the OS's notifications through
 * @parcel/watcher, the watcher Theia itself uses) and reports changes as
 * paths relative to the root. Excluded paths and upload temporaries are
 * dropped here, so guests never even learn that `.env` changed.
 */
export class SharedRootWatcher {
    private subscription: parcelWatcher.AsyncSubscription | undefined;
    private disposed = false;

    private constructor(private readonly currentRoot: () => SharedRoot | undefined, private readonly report: (changes: WorkspaceFileChange[]) => void) { }

    /** Watches `realPath`; `currentRoot` gives the root's current name and exclusions (undefined once unshared). */
    static async start(realPath: string, currentRoot: () => SharedRoot | undefined, report: (changes: WorkspaceFileChange[]) => void,
        onError: (error: Error) => void): Promise<SharedRootWatcher> {
        const watcher = new SharedRootWatcher(currentRoot, report);
        watcher.subscription = await parcelWatcher.subscribe(realPath, (error, events) => {
            if (error) {
                onError(error);
            } else {
                watcher.onEvents(events);
            }
        });
        if (watcher.disposed) {
            await watcher.subscription.unsubscribe();
        }
        return watcher;
    }

    private onEvents(events: parcelWatcher.Event[]): void {
        const root = this.currentRoot();
        if (this.disposed || !root) {
            return;
        }
        const changes: WorkspaceFileChange[] = [];
        for (const event of events) {
            if (!root.contains(event.path) || event.path === root.realPath) {
                continue;
            }
            const path = root.relativeOf(event.path);
            if (root.isExcluded(path) || checkRelativePath(path) !== undefined) {
                continue;
            }
            changes.push({ root: root.name, path, type: CHANGE_TYPES[event.type] });
        }
        if (changes.length > 0) {
            this.report(changes);
        }
    }

    async dispose(): Promise<void> {
        this.disposed = true;
        const subscription = this.subscription;
        this.subscription = undefined;
        await subscription?.unsubscribe();
    }
}
