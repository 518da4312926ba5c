import { compose } from './compose';
import { invert } from './invert';
import { isNoop, TextOperation } from './text-operation';
import { transform } from './transform';

export interface UndoManagerOptions {
    /** Edits closer together than this join one undo step while they are plain typing (default 700 ms). */
    readonly groupingDelayMs?: number;
    /** Most undo steps kept (default 500). */
    readonly maxSteps?: number;
    /** The clock, replaceable for tests and simulations. */
    readonly now?: () => number;
}

/**
 * Undo and redo of the user's own edits only. The stacks hold inverse
 * operations; every remote edit transforms them, so an undo removes exactly
 * the user's edit wherever others' typing has moved it. Consecutive typing
 * (single inserts or single deletes in quick succession) makes one step.
 */
export class UndoManager {
    private undoStack: TextOperation[] = [];
    private redoStack: TextOperation[] = [];
    private lastLocalTime = -Infinity;
    private lastWasTyping = false;
    private readonly groupingDelayMs: number;
    private readonly maxSteps: number;
    private readonly now: () => number;

    constructor(options: UndoManagerOptions = {}) {
        this.groupingDelayMs = options.groupingDelayMs ?? 700;
        this.maxSteps = options.maxSteps ?? 500;
        this.now = options.now ?? Date.now;
    }

    get canUndo(): boolean {
        return this.undoStack.some(op => !isNoop(op));
    }

    get canRedo(): boolean {
        return this.redoStack.some(op => !isNoop(op));
    }

    /** Records a local edit as applied; it must be invertible (OTClient.applyLocal returns it so). */
    recordLocal(op: TextOperation): void {
        if (isNoop(op)) {
            return;
        }
        const inverse = invert(op);
        const time = this.now();
        const typing = isTyping(op);
        const top = this.undoStack.length - 1;
        if (typing && this.lastWasTyping && top >= 0 && time - this.lastLocalTime < this.groupingDelayMs) {
            // Undoing the group undoes this edit, then the ones before it.
            this.undoStack[top] = compose(inverse, this.undoStack[top]);
        } else {
            this.undoStack.push(inverse);
            if (this.undoStack.length > this.maxSteps) {
                this.undoStack.shift();
            }
        }
        this.lastLocalTime = time;
        this.lastWasTyping = typing;
        this.redoStack = [];
    }

    /** Moves both stacks past a remote edit, given as applied to the local document. */
    transformRemote(op: TextOperation): void {
        if (isNoop(op)) {
            return;
        }
        this.undoStack = transformStack(this.undoStack, op);
        this.redoStack = transformStack(this.redoStack, op);
    }

    /** The edit that undoes the last own step, to apply as a local edit (not to record), or undefined. */
    undo(): TextOperation | undefined {
        return this.move(this.undoStack, this.redoStack);
    }

    /** The edit that redoes the last undone step, to apply as a local edit (not to record), or undefined. */
    redo(): TextOperation | undefined {
        return this.move(this.redoStack, this.undoStack);
    }

    clear(): void {
        this.undoStack = [];
        this.redoStack = [];
    }

    private move(from: TextOperation[], to: TextOperation[]): TextOperation | undefined {
        this.lastWasTyping = false;
        while (from.length > 0) {
            const op = from.pop()!;
            // A step others' edits emptied (they deleted what it would restore or remove) is skipped.
            if (!isNoop(op)) {
                to.push(invert(op));
                return op;
            }
        }
        return undefined;
    }
}

/** True for one insert or one delete with nothing else: keystrokes that group. */
function isTyping(op: TextOperation): boolean {
    let edits = 0;
    for (const c of op) {
        if (typeof c !== 'number') {
            edits++;
        }
    }
    return edits === 1;
}

/**
 * Transforms a stack of inverses past `op`. The top applies to the current
 * document; each entry below applies to the document the one above it
 * produces, so `op` is transformed down the stack as it goes.
 */
function transformStack(stack: TextOperation[], op: TextOperation): TextOperation[] {
    const result: TextOperation[] = new Array(stack.length);
    let remote = op;
    for (let i = stack.length - 1; i >= 0; i--) {
        const entry = stack[i];
        result[i] = transform(entry, remote, 'left');
        remote = transform(remote, entry, 'right');
    }
    return result;
}
