package io.sandbox.dashboard.testing;

import io.grpc.ManagedChannel;
import io.sandbox.launcher.fabric.FabricNetwork;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;

/** The sandbox chaincode as a startup's own user calls it, through the real fabric-gateway client on its peer. */
public final class StartupContracts {

    /** What to do with the contract. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(Contract contract) throws Exception;
    }

    private StartupContracts() {
    }

    /** Connects as the startup's user (deadlines of 60 s, for loaded machines), runs {@code call}, disconnects. */
    public static <T> T with(StartupSandbox sandbox, Call<T> call) throws Exception {
        ManagedChannel grpc = sandbox.peer().openChannel();
        try (Gateway gateway = Gateway.newInstance().identity(sandbox.org().user().gatewayIdentity())
                .signer(sandbox.org().user().gatewaySigner()).connection(grpc)
                .endorseOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                .submitOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                .commitStatusOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                .connect()) {
            return call.apply(gateway.getNetwork(sandbox.channelId()).getContract(FabricNetwork.CHAINCODE));
        } finally {
            grpc.shutdownNow();
        }
    }
}
