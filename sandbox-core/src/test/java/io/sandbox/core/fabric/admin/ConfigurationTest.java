package io.sandbox.core.fabric.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    @Test
    void endpointsValidateAndCopy() {
        var roots = List.of(ProposalsTest.ORG.tlsCa().certificate());
        var peer = new PeerEndpoint("peer0.org1", 7051, roots, "Org1MSP");
        assertThat(peer.address()).isEqualTo("peer0.org1:7051");
        assertThatThrownBy(() -> new PeerEndpoint("h", 0, roots, "m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerEndpoint("h", 1, List.of(), "m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerEndpoint(null, 1, roots, "m")).hasMessage("host");
        assertThatThrownBy(() -> new PeerEndpoint("h", 1, roots, null)).hasMessage("mspId");

        var orderer = new OrdererEndpoint("o", 7050, 7053, roots, ProposalsTest.ORG.admin().tls());
        assertThat(orderer.grpcAddress()).isEqualTo("o:7050");
        assertThat(orderer.withAdminTlsClient(null).adminTlsClient()).isNull();
        assertThatThrownBy(() -> new OrdererEndpoint("o", 7050, 70530, roots, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void definitionsAndIdentitiesValidate() {
        assertThat(ChaincodeDefinition.of("cc", "1.0", 1).endorsementPolicy()).isNull();
        assertThatThrownBy(() -> ChaincodeDefinition.of("cc", "1.0", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChaincodeDefinition.of(null, "1.0", 1)).hasMessage("name");
        assertThat(ProposalsTest.ADMIN.mspId()).isEqualTo("Org1MSP");
        assertThatThrownBy(() -> new AdminIdentity("m", null, null)).hasMessage("certificate");
    }

    @Test
    void exceptionsCarryWhatFailed() {
        var orderer = new OrdererAdminException("join", 405, "channel already exists", null);
        assertThat(orderer.httpStatus()).isEqualTo(405);
        assertThat(orderer.fabricError()).isEqualTo("channel already exists");
        assertThat(orderer).hasMessage("join failed: HTTP 405: channel already exists");
        var proposal = new ProposalException("p:7051", "JoinChain", 500, "access denied", null);
        assertThat(proposal).hasMessage("JoinChain on p:7051 failed: status 500: access denied");
        var tx = new TransactionException("abc",
                org.hyperledger.fabric.protos.peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE, null);
        assertThat(tx.validationCode())
                .isEqualTo(org.hyperledger.fabric.protos.peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(tx).hasMessageContaining("abc").hasMessageContaining("ENDORSEMENT_POLICY_FAILURE");
    }
}
