package dev.keyledger.query.scheduling;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A background job on its own named daemon thread, run with a fixed delay between runs. The owner
 * catches its own failures: an exception thrown by the task would cancel the following runs.
 */
public final class PeriodicTask {

    private final String threadName;
    private ScheduledExecutorService scheduler;

    public PeriodicTask(String threadName) {
        this.threadName = threadName;
    }

    /** Starts the task unless it is running already. */
    public synchronized void start(Runnable task, Duration initialDelay, Duration interval) {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(task, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the task, interrupting a run in progress. */
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
