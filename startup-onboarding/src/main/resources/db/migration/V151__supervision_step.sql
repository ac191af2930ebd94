-- Provisioning step SUPERVISION (after KEYCLOAK): the regulator dashboard is told of the startup and its permit.
alter table provisioning drop constraint provisioning_current_step_check;
alter table provisioning add constraint provisioning_current_step_check
    check (current_step in ('ORGANISATION', 'PEER', 'CHANNEL', 'CHAINCODE', 'KEYCLOAK', 'SUPERVISION', 'READY'));
