package dev.steward.router;

import java.net.InetSocketAddress;
import java.net.Proxy;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Protocol;

/** What OkHttp tells about one call: whether it was connecting, and whether it reused a pooled connection. */
final class CallTrace extends EventListener {
    /** Every call gets the {@link CallTrace} its request carries, if any. */
    static final EventListener.Factory FACTORY = call -> {
        CallTrace trace = call.request().tag(CallTrace.class);
        return trace == null ? EventListener.NONE : trace;
    };

    private volatile boolean opened;
    private volatile boolean acquired;
    private volatile boolean answered;
    volatile boolean connecting;

    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
        opened = true;
        connecting = true;
    }

    @Override
    public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
        connecting = false;
    }

    @Override
    public void connectionAcquired(Call call, okhttp3.Connection connection) {
        acquired = true;
    }

    @Override
    public void responseHeadersStart(Call call) {
        answered = true;
    }

    /**
     * The call failed on a connection taken from the pool, before any answer: the server had closed it while it
     * sat idle (uvicorn and Node close idle connections after 5 s), so the request never reached it.
     */
    boolean staleConnection() {
        return acquired && !opened && !answered;
    }
}
