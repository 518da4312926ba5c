import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import type URI from '@theia/core/lib/common/uri';
import { FileResourceResolver } from '@theia/filesystem/lib/browser/file-resource';
import { GuestFileReads } from './guest-file-reads';

/**
 * Theia's file resources, except that a file read for a guest (see
 * GuestFileReads) opens even when it is over the size limit, without the
 * host's confirmation dialog. Anything else, binary files included, is
 * asked about as before.
 */
@injectable()
export class SharedFileResourceResolver extends FileResourceResolver {
    @inject(GuestFileReads) protected readonly guestReads!: GuestFileReads;

    protected override async shouldOpenAsText(uri: URI, error: string): Promise<boolean> {
        if (this.guestReads.isReadForGuest(uri) && !isBinaryQuestion(error)) {
            return true;
        }
        return super.shouldOpenAsText(uri, error);
    }
}

/** The question FileResource asks for a binary file (the other one is about the size). */
function isBinaryQuestion(error: string): boolean {
    return error === nls.localize('theia/filesystem/fileResource/binaryTitle', 'The file is either binary or uses an unsupported text encoding.');
}
