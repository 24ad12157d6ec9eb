package org.extmmap.conformance.sys;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/** A {@link Syscalls} whose calls go to a real one, with something done around each call. */
public final class SyscallsProxy {
    /** Makes the call, with the arguments as they are when it is made; throws what the call throws. */
    @FunctionalInterface
    public interface Proceed {
        Object call() throws Throwable;
    }

    /** What is done around one call: it may change the arguments, then proceed, then look at the result. */
    @FunctionalInterface
    public interface Around {
        Object call(Method m, Object[] args, Proceed proceed) throws Throwable;
    }

    private SyscallsProxy() {
    }

    public static Syscalls of(Syscalls real, Around around) {
        InvocationHandler h = (proxy, m, args) -> around.call(m, args, () -> {
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause(); // what the real call threw, not reflection's wrapper
            }
        });
        return (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(), new Class<?>[] {Syscalls.class}, h);
    }
}
