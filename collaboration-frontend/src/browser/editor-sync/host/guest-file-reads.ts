import { Disposable } from '@theia/core/lib/common/disposable';
import { injectable } from '@theia/core/shared/inversify';
import type URI from '@theia/core/lib/common/uri';

/**
 * The host's files being read into a model because a guest opened them.
 * Theia asks before reading a file over `files.maxFileSizeMB` (32 MB in a
 * browser) with a modal dialog; for a guest's open that dialog would pop up
 * on the host, unasked for, and the guest would wait until someone on the
 * host clicked it. The host shares the file already, so a guest's read
 * skips that question (see SharedFileResourceResolver).
 */
@injectable()
export class GuestFileReads {
    private readonly reading = new Map<string, number>();

    /** Marks `uri` as read for a guest until the returned Disposable is disposed. */
    begin(uri: URI): Disposable {
        const key = uri.toString();
        this.reading.set(key, (this.reading.get(key) ?? 0) + 1);
        let ended = false;
        return Disposable.create(() => {
            if (ended) {
                return;
            }
            ended = true;
            const count = (this.reading.get(key) ?? 1) - 1;
            if (count > 0) {
                this.reading.set(key, count);
            } else {
                this.reading.delete(key);
            }
        });
    }

    isReadForGuest(uri: URI): boolean {
        return this.reading.has(uri.toString());
    }
}
