package io.chokepoint.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the whole process (the clients, the embedded broker and registry, the JVM's own compiler
 * and collector threads) spent on CPU while one run was measured: on a machine of two cores the
 * broker and the JIT compiler compete with the run for the same cores, and a ratio between two runs
 * means little without this.
 */
record CpuUse(double wallSeconds, double processCpuSeconds, double jitSeconds, double gcSeconds) {

    /** Cores busy on average during the run. */
    double cores() {
        return processCpuSeconds / wallSeconds;
    }

    /** Starts measuring now. */
    static Mark mark() {
        return new Mark(System.nanoTime(), processCpuNanos(), compilationMillis(), collectionMillis());
    }

    record Mark(long wallNanos, long cpuNanos, long jitMillis, long gcMillis) {
        /** The use since this mark. */
        CpuUse since() {
            return new CpuUse((System.nanoTime() - wallNanos) / 1e9, (processCpuNanos() - cpuNanos) / 1e9,
                    (compilationMillis() - jitMillis) / 1e3, (collectionMillis() - gcMillis) / 1e3);
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static long compilationMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long collectionMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }
}
