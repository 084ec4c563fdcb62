package dev.steward.support;

/**
 * Rate-limit buckets that every node of a cluster counts in together (a bucket store in the database). A single node
 * has none and keeps its buckets in the process; the request limits of the server and the tool-call limits of the
 * action gate take one when Steward runs on several nodes.
 */
public interface SharedBuckets {
    /**
     * Takes one from the bucket {@code key}, which holds {@code perMinute} and refills them evenly over a minute, as
     * the in-process buckets do: 0 when taken, else the nanoseconds until one is back.
     */
    long tryTake(String key, int perMinute);
}
