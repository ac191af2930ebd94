/**
 * The platform's Fabric admin client: everything needed to provision a channel and deploy chaincode on a Fabric
 * 2.5 network through Fabric's own protocols only, so that the devnet and a real network are driven by the same
 * code and differ only in configuration.
 *
 * <ul>
 *   <li>{@link io.sandbox.core.fabric.admin.OrdererAdmin}: the orderer's channel participation API
 *       ({@code /participation/v1/channels}, HTTPS with mutual TLS), as {@code osnadmin};</li>
 *   <li>{@link io.sandbox.core.fabric.admin.PeerAdmin}: a peer's system chaincodes ({@code cscc}, {@code qscc},
 *       {@code _lifecycle} install) over {@code Endorser.ProcessProposal}, as {@code peer channel join} and
 *       {@code peer lifecycle chaincode install};</li>
 *   <li>{@link io.sandbox.core.fabric.admin.ChaincodeLifecycle}: approve and commit of chaincode definitions as
 *       {@code peer lifecycle chaincode approveformyorg/commit}: endorse, assemble, sign, Broadcast, await the
 *       commit.</li>
 *   <li>{@link io.sandbox.core.fabric.admin.ChannelConfigClient}: channel config updates as {@code peer channel
 *       fetch config}, configtxlator {@code compute_update}, {@code peer channel signconfigtx} and
 *       {@code peer channel update}.</li>
 * </ul>
 *
 * <p>Each failure stage has its exception: {@link io.sandbox.core.fabric.admin.OrdererAdminException},
 * {@link io.sandbox.core.fabric.admin.ProposalException}, {@link io.sandbox.core.fabric.admin.BroadcastException},
 * {@link io.sandbox.core.fabric.admin.DeliverException} and {@link io.sandbox.core.fabric.admin.TransactionException}, all {@link
 * io.sandbox.core.fabric.admin.FabricAdminException}s.
 */
package io.sandbox.core.fabric.admin;
