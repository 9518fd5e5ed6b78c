package io.sparkvae.model.canarydns;

import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@code canarydns:} protocol for tests: hashing one of its URLs records the host, where an {@code http:} URL
 * would resolve it through DNS (what a URLDNS gadget relies on). Found through {@code java.protocol.handler.pkgs}.
 */
public class Handler extends URLStreamHandler {
    /** The hosts whose address a hash asked for. */
    public static final List<String> LOOKUPS = new CopyOnWriteArrayList<>();

    @Override
    protected URLConnection openConnection(URL u) throws IOException {
        throw new IOException("canarydns URLs never connect");
    }

    @Override
    protected int hashCode(URL u) {
        LOOKUPS.add(u.getHost());
        return u.getHost().hashCode();
    }
}
