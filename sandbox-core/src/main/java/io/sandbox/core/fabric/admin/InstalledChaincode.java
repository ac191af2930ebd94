package io.sandbox.core.fabric.admin;

import java.util.Objects;

/**
 * A chaincode package installed on a peer.
 *
 * @param packageId {@code <label>:<sha256 hex>}
 * @param label     the package label
 */
public record InstalledChaincode(String packageId, String label) {

    /** Checks for nulls. */
    public InstalledChaincode {
        Objects.requireNonNull(packageId, "packageId");
        Objects.requireNonNull(label, "label");
    }
}
