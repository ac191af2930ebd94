package io.sandbox.core.fabric.channel;

import java.util.Map;

/** The channel ACLs of Fabric 2.5's {@code sampleconfig/configtx.yaml} ({@code Application.ACLs}). */
public final class DefaultAcls {

    private static final String READERS = "/Channel/Application/Readers";
    private static final String WRITERS = "/Channel/Application/Writers";

    public static final Map<String, String> SAMPLE = Map.ofEntries(
            Map.entry("_lifecycle/CheckCommitReadiness", WRITERS),
            Map.entry("_lifecycle/CommitChaincodeDefinition", WRITERS),
            Map.entry("_lifecycle/QueryChaincodeDefinition", WRITERS),
            Map.entry("_lifecycle/QueryChaincodeDefinitions", WRITERS),
            Map.entry("lscc/ChaincodeExists", READERS),
            Map.entry("lscc/GetDeploymentSpec", READERS),
            Map.entry("lscc/GetChaincodeData", READERS),
            Map.entry("lscc/GetInstantiatedChaincodes", READERS),
            Map.entry("qscc/GetChainInfo", READERS),
            Map.entry("qscc/GetBlockByNumber", READERS),
            Map.entry("qscc/GetBlockByHash", READERS),
            Map.entry("qscc/GetTransactionByID", READERS),
            Map.entry("qscc/GetBlockByTxID", READERS),
            Map.entry("cscc/GetConfigBlock", READERS),
            Map.entry("cscc/GetChannelConfig", READERS),
            Map.entry("peer/Propose", WRITERS),
            Map.entry("peer/ChaincodeToChaincode", WRITERS),
            Map.entry("event/Block", READERS),
            Map.entry("event/FilteredBlock", READERS));

    private DefaultAcls() {}
}
