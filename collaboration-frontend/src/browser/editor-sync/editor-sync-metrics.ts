import { injectable } from '@theia/core/shared/inversify';

/**
 * Counters of what editor sync had to repair, per window. A checksum
 * mismatch or a model that no longer matches its OT copy is a bug somewhere
 * (or a lost message); each is logged and counted here, and the document
 * resyncs. Tests and the bench read them; a status view may show them.
 */
@injectable()
export class EditorSyncMetrics {
    /** A host checksum did not match this guest's copy at the same revision. */
    checksumMismatches = 0;
    /** The editor's model differed from the OT copy and was rewritten from it. */
    modelRepairs = 0;
    /** Catch-ups fetched from the host (reconnects, gaps, mismatches). */
    resyncs = 0;
    /** Of those, how many needed a full snapshot. */
    snapshotResyncs = 0;

    snapshot(): Readonly<Record<'checksumMismatches' | 'modelRepairs' | 'resyncs' | 'snapshotResyncs', number>> {
        const { checksumMismatches, modelRepairs, resyncs, snapshotResyncs } = this;
        return { checksumMismatches, modelRepairs, resyncs, snapshotResyncs };
    }
}
