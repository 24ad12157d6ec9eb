package org.extmmap.conformance.sys;

import java.util.Arrays;
import java.util.HexFormat;

/** The bytes a read() (or a process_vm_readv) returned, or its errno (then no bytes). */
public record ReadResult(SysResult result, byte[] data) {
    public ReadResult {
        data = data.clone();
        if (result.ok() && result.value() != data.length) {
            throw new IllegalArgumentException("count " + result.value() + " but " + data.length + " bytes");
        }
    }

    public static ReadResult failed(int errno) {
        return new ReadResult(SysResult.failed(errno), new byte[0]);
    }

    public boolean ok() {
        return result.ok();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadResult r && r.result.equals(result) && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return result.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(data, 0, Math.min(16, data.length));
        return ok() ? "read " + data.length + " bytes [" + head + (data.length > 16 ? "..." : "") + "]"
                : result.toString();
    }
}
