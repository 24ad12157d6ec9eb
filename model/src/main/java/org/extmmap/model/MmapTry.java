package org.extmmap.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one mmap() call the spec tries, with the outcome it must have: {@link Ret#OK}
 * for the valid combinations, else the error (the spec's Try; its "none" is OK here).
 */
public record MmapTry(End end, Prot prot, Flags flags, int len, int off, Ret err) {

    /** The four valid (end, prot, flags) combinations: the spec's ValidMmap. */
    public static final List<MmapTry> VALID_KINDS = List.of(
            new MmapTry(End.R, Prot.R, Flags.SHARED, 0, 0, Ret.OK),
            new MmapTry(End.R, Prot.R, Flags.PRIVATE, 0, 0, Ret.OK),
            new MmapTry(End.R, Prot.RW, Flags.PRIVATE, 0, 0, Ret.OK),
            new MmapTry(End.W, Prot.RW, Flags.SHARED, 0, 0, Ret.OK));

    public boolean valid() {
        return err == Ret.OK;
    }

    /** The spec's MmapTries: valid calls of every length 1..MaxLen and, with "mmaperr", one call per error. */
    public static List<MmapTry> all(Config cfg) {
        List<MmapTry> out = new ArrayList<>();
        for (MmapTry a : VALID_KINDS) {
            for (int len = 1; len <= cfg.maxLen(); len++) {
                out.add(new MmapTry(a.end, a.prot, a.flags, len, 0, Ret.OK));
            }
        }
        if (cfg.allows("mmaperr")) {
            for (MmapTry a : VALID_KINDS) {
                out.add(new MmapTry(a.end, a.prot, a.flags, 0, 0, Ret.EINVAL));
                out.add(new MmapTry(a.end, a.prot, a.flags, 1, cfg.p(), Ret.EINVAL));
                out.add(new MmapTry(a.end, a.prot.withExec(), a.flags, 1, 0, Ret.EPERM));
            }
            out.add(new MmapTry(End.R, Prot.RW, Flags.SHARED, 1, 0, Ret.EACCES));
            out.add(new MmapTry(End.W, Prot.RW, Flags.PRIVATE, 1, 0, Ret.EINVAL));
            out.add(new MmapTry(End.W, Prot.R, Flags.SHARED, 1, 0, Ret.EACCES));
        }
        return List.copyOf(out);
    }
}
