package io.sandbox.core.fabric.policy;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * A set of signed data, as Fabric's {@code protoutil.SignedData}: what was signed, who signed it (a serialized
 * {@code msp.SerializedIdentity}) and the signature (ASN.1 DER ECDSA over the hash of {@code data}).
 *
 * @param data      the signed bytes
 * @param identity  the signer, a serialized {@code msp.SerializedIdentity}
 * @param signature the signature
 */
public record SignedData(ByteString data, ByteString identity, ByteString signature) {

    /** Checks for nulls. */
    public SignedData {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signature, "signature");
    }
}
