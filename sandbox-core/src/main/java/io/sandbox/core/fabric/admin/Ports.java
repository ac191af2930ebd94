package io.sandbox.core.fabric.admin;

final class Ports {
    private Ports() {}

    static void check(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port);
        }
    }
}
