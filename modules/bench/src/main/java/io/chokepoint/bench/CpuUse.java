package io.chokepoint.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the whole process (the clients, the embedded broker and registry, the JVM's own compiler
 * and collector threads) spent on CPU while one run was measured, and how much of it the run's own
 * threads took: on a machine of two cores the broker and the JIT compiler compete with the run for
 * the same cores, and a ratio between two runs means little without this.
 */
record CpuUse(double wallSeconds, double processCpuSeconds, double ownThreadsCpuSeconds, double jitSeconds, double gcSeconds) {

    /** Cores busy on average during the run. */
    double cores() {
        return processCpuSeconds / wallSeconds;
    }

    /**
     * Starts measuring now.
     *
     * @param own tells the run's own threads (its clients' and stream threads)
     */
    static Mark mark(Predicate<Thread> own) {
        return new Mark(System.nanoTime(), processCpuNanos(), threadCpuNanos(own), compilationMillis(), collectionMillis(), own);
    }

    record Mark(long wallNanos, long cpuNanos, Map<Long, Long> ownThreadNanos, long jitMillis, long gcMillis, Predicate<Thread> own) {
        /** The use since this mark. */
        CpuUse since() {
            long ownNanos = 0;
            for (Map.Entry<Long, Long> now : threadCpuNanos(own).entrySet()) {
                ownNanos += now.getValue() - ownThreadNanos.getOrDefault(now.getKey(), 0L);
            }
            return new CpuUse((System.nanoTime() - wallNanos) / 1e9, (processCpuNanos() - cpuNanos) / 1e9, ownNanos / 1e9,
                    (compilationMillis() - jitMillis) / 1e3, (collectionMillis() - gcMillis) / 1e3);
        }
    }

    /** CPU time so far of each live thread that matches, by thread id. */
    private static Map<Long, Long> threadCpuNanos(Predicate<Thread> which) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        if (!threads.isThreadCpuTimeSupported()) {
            return cpu;
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (which.test(t)) {
                long nanos = threads.getThreadCpuTime(t.getId());
                if (nanos > 0) {
                    cpu.put(t.getId(), nanos);
                }
            }
        }
        return cpu;
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
