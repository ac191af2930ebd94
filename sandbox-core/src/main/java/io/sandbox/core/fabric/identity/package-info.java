/**
 * Fabric organisation material generated in-process with BouncyCastle: a signing CA and a TLS CA per
 * organisation (ECDSA P-256, as Fabric's {@code cryptogen} does), NodeOU-classified identities, TLS
 * certificates, the MSP folder layout Fabric binaries read, a {@link io.sandbox.core.fabric.identity.KeyVault}
 * that keeps private keys encrypted at rest, and conversion to fabric-gateway identities and signers.
 *
 * <p>Entry points: {@link io.sandbox.core.fabric.identity.OrganisationMaterial#generate(OrganisationSpec)},
 * {@link io.sandbox.core.fabric.identity.MspFolders} and
 * {@link io.sandbox.core.fabric.identity.KeyVault#fromMasterSecret(byte[])}.
 */
package io.sandbox.core.fabric.identity;
