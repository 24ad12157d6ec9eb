package org.extmmap.conformance.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a thread sleeps in one of the pipe's waits, from /proc/self/task/TID: state S and a
 * wait channel in fs/pipe.c (pipe_read, pipe_write and the claim fault and commit waits of the
 * patch; newer kernels name the read wait anon_pipe_read). A thread loading a class over 9p or
 * waiting for work sleeps elsewhere, so it is not taken for blocked.
 */
final class PipeWait {
    private PipeWait() {
    }

    static boolean sleeping(int tid) {
        String stat = read(tid, "stat");
        if (stat == null) {
            return false;
        }
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'S') {
            return false;
        }
        String wchan = read(tid, "wchan");
        return wchan != null && wchan.contains("pipe_");
    }

    private static String read(int tid, String file) {
        try {
            return Files.readString(Path.of("/proc/self/task/" + tid + "/" + file)).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
