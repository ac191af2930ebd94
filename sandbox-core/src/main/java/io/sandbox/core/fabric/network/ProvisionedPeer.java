package io.sandbox.core.fabric.network;

import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import java.util.Objects;
import java.util.Optional;

/**
 * A startup's peer, up and reachable.
 *
 * @param endpoint  how to reach it
 * @param chaincode the CCaaS package of the chaincode server run next to it, when the provisioner runs one
 */
public record ProvisionedPeer(PeerEndpoint endpoint, Optional<ChaincodePackage> chaincode) {

    public ProvisionedPeer {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(chaincode, "chaincode");
    }
}
