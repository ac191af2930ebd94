package io.sandbox.dashboard.bench;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * CPU accounting for benches on a shared machine: a data source that hands out one PostgreSQL connection (its close
 * ignored), so that the CPU of its backend process can be read from {@code /proc}, next to this JVM's CPU. On a busy
 * machine wall-clock figures mostly measure the neighbours; CPU seconds bound what dedicated cores would do.
 */
final class CpuMeter {

    /** CPU seconds of this JVM, of the backend, and of the calling thread, at one moment. */
    record Sample(double jvm, double pg, double thread) {
    }

    private final DataSource dataSource;
    private final long backendPid;

    CpuMeter(DataSource pool) throws Exception {
        Connection connection = pool.getConnection();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            backendPid = rs.getLong(1);
        }
        Connection unclosable = (Connection) Proxy.newProxyInstance(CpuMeter.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        dataSource = (DataSource) Proxy.newProxyInstance(CpuMeter.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return unclosable;
                    }
                    try {
                        return method.invoke(pool, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The one-connection data source whose backend is measured. */
    DataSource dataSource() {
        return dataSource;
    }

    /** CPU seconds so far. */
    Sample sample() throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String[] stat = Files.readString(Path.of("/proc/" + backendPid + "/stat")).replaceFirst("^.*\\) ", "")
                .split(" ");
        // after the command name, utime and stime (fields 14 and 15 of proc(5)) are at 11 and 12; clock ticks of 1/100 s
        double pg = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / 100.0;
        return new Sample(os.getProcessCpuTime() / 1e9, pg, threadCpu());
    }

    /** CPU seconds of the calling thread so far. */
    static double threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    }
}
