import { Disposable } from '@theia/core/lib/common/disposable';
import { MessageService } from '@theia/core/lib/common/message-service';
import type { Progress } from '@theia/core/lib/common/message-service-protocol';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { HostFileSystemProvider, TransferProgress } from './host-file-system-provider';

/**
 * Shows big transfers between a guest and the host as progress
 * notifications ("Downloading big.bin from the host: 12 of 100 MB"), one per
 * file and direction, closed when the transfer ends or stops.
 */
@injectable()
export class TransferProgressNotifier {
    @inject(MessageService) protected readonly messages!: MessageService;

    private readonly shown = new Map<string, Promise<Progress>>();

    attach(provider: HostFileSystemProvider): Disposable {
        return provider.onTransferProgress(event => this.update(event));
    }

    protected update(event: TransferProgress): void {
        const key = `${event.direction} ${event.uri.toString()}`;
        const finished = event.stopped === true || event.done >= event.total;
        let progress = this.shown.get(key);
        if (!progress) {
            if (finished) {
                return;
            }
            const verb = event.direction === 'download' ? 'Downloading' : 'Uploading';
            const where = event.direction === 'download' ? 'from' : 'to';
            progress = this.messages.showProgress({ text: `${verb} ${event.uri.path.base} ${where} the host`, options: { location: 'notification' } });
            this.shown.set(key, progress);
        }
        void progress.then(shown => {
            if (finished) {
                shown.cancel();
            } else {
                shown.report({ message: `${megabytes(event.done)} of ${megabytes(event.total)} MB`, work: { done: event.done, total: event.total } });
            }
        });
        if (finished) {
            this.shown.delete(key);
        }
    }
}

function megabytes(bytes: number): string {
    return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}
