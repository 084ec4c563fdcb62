package dev.steward.agent;

/**
 * How the outside stops a run: a cancellation (the task ends cancelled, its compensations run), a shutdown (the
 * process is going away: the task keeps its state and the next process carries it on), or the time limit (the task
 * fails, saying so).
 */
final class RunControl {
    enum Stop { CANCEL, SHUTDOWN, TIME_LIMIT }

    private volatile Stop stop;
    private volatile Thread worker;

    void attach(Thread thread) {
        worker = thread;
    }

    void stop(Stop why) {
        if (stop == null) {
            stop = why;
        }
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Why the run must stop, or null to carry on; an interrupt with no reason given counts as a cancellation. */
    Stop requested() {
        if (stop == null && Thread.currentThread() == worker && Thread.currentThread().isInterrupted()) {
            return Stop.CANCEL;
        }
        return stop;
    }
}
