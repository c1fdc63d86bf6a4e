<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ArrivalGhostItem</name>
    <message>
        <source>arriving from %1: %2 %</source>
        <extracomment>Tooltip of a VM drawn on the destination host of its live migration. %1: the source host, %2: the job&apos;s percentage.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <extracomment>Percentage of a migration drawn on its destination host.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>← from %1</source>
        <extracomment>Second line of a VM drawn on the destination host of its live migration. %1: the source host.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HostItem</name>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPUs committed: %1 of %2 (%3 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory committed: %1 of %2 (%3 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s)</source>
        <translation>
            <numerusform>%n VM</numerusform>
            <numerusform>%n VMs</numerusform>
        </translation>
    </message>
    <message>
        <source>In maintenance: nothing new is placed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 CPUs · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPU %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPU —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · in maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 running</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RatingBadgeItem</name>
    <message>
        <source>★ %1 · best</source>
        <extracomment>Placement score of a host while dragging VMs (out of 100); the best host&apos;s says so</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / 100</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SubnetPlan</name>
    <message>
        <source>The switch has no subnet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a subnet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The subnet %1 has no room for a port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type an address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not an IPv6 address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not an IPv4 address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is outside the subnet %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is the subnet&apos;s own address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is the subnet&apos;s broadcast address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is the gateway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is reserved (the DHCP server).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is excluded from the switch&apos;s addresses (exclude_ips).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is in use by port %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie</name>
    <message>
        <source>The domain XML is too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a VLAN id (0 to 4095).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The domain XML holds a DTD or an entity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The domain XML is nested too deeply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The domain XML is malformed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VM has no NIC with MAC address %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::AccessPolicy</name>
    <message>
        <source>read-only connection: the hypervisor refuses every change through it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::AclText</name>
    <message>
        <source>any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the isolated group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the members of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address set %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allow (stateless)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pass on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPv4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPv6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHCP requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ping (ICMP echo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ICMP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ICMP type %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP protocol %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 everything else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>where %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::AddressActions</name>
    <message>
        <source>IP &amp;address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigns the IP address of a NIC that the network controller wires.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address of %1, NIC %2 not changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no NIC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Assign an address…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Change the address…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn &amp;port security on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port security is on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign an address first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VM may then send only from its own MAC and address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot assign an address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let NIC %1 of %2 send only from its own MAC and %3?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traffic the guest sends from any other address is dropped by the controller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Turn on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addressing of %1 changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VMs take the new options at their next DHCP renewal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addressing of %1 not changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot edit the addressing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addressing of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One transaction writes these rows to the network controller; it fails, changing nothing, if they changed meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::AddressDialog</name>
    <message>
        <source>IP address of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, gateway %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>, %n address(es) free</source>
        <translation>
            <numerusform>, %n address free</numerusform>
            <numerusform>, %n addresses free</numerusform>
        </translation>
    </message>
    <message>
        <source>Switch:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subnet:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An address of the subnet that is free: not the gateway, not excluded, not another port&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Free one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first free address of the subnet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port&apos;s addresses and port security change together in the network controller, in one transaction that fails if someone else changed the port meanwhile. The guest takes the new address from the controller&apos;s DHCP at its next renewal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Assign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The subnet has no free address left.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::AddressModel</name>
    <message>
        <source>Choose a VLAN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This switch no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The switch has no subnet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subnet %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gateway %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>excluded %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no DHCP options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lease %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n used</source>
        <translation>
            <numerusform>%n used</numerusform>
            <numerusform>%n used</numerusform>
        </translation>
    </message>
    <message>
        <source>Vigie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%1 port)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n free</source>
        <translation>
            <numerusform>%n free</numerusform>
            <numerusform>%n free</numerusform>
        </translation>
    </message>
    <message>
        <source>about 2^%1 free</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>subnet (anycast)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>broadcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHCP server</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>excluded (%n)</source>
        <translation>
            <numerusform>excluded (%n)</numerusform>
            <numerusform>excluded (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>outside the subnet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: port %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2, NIC %3, port %4 (%5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: excluded from the switch&apos;s addresses (other_config:exclude_ips); OVN&apos;s IPAM and Vigie give none of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2, none of them a port&apos;s, excluded or reserved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC (MAC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::AlarmModel</name>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <extracomment>Who acknowledged an alarm, and when: &quot;alice, 14:02&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM or host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::AlarmMonitor</name>
    <message>
        <source>to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::AlarmRulesDialog</name>
    <message>
        <source>Desktop notification for each new critical alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raised above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleared below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For at least</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A figure raises its alarm once it has stayed beyond the threshold for the time given, and clears it only once back beyond the clear level, so that a figure wavering around the threshold raises one alarm.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <comment>seconds</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when it happens</source>
        <extracomment>An event rule has no threshold: the cell says when it is raised</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::Alarms</name>
    <message>
        <source>Host unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migration failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network mismatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM disk throughput</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM network throughput</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM figures stale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MiB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>s</source>
        <comment>seconds</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::AlarmsPanel</name>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marks the selected alarms as seen, in your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thresholds, durations and severities of the alarms; desktop notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No active alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n critical</source>
        <translation>
            <numerusform>%n critical</numerusform>
            <numerusform>%n critical</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not acknowledged</source>
        <translation>
            <numerusform>%n not acknowledged</numerusform>
            <numerusform>%n not acknowledged</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::AlarmsUi</name>
    <message>
        <source>Alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active alarms: click to show them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical alarm on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n alarm(s), %1 critical</source>
        <translation>
            <numerusform>%n alarm, %1 critical</numerusform>
            <numerusform>%n alarms, %1 critical</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alarm(s)</source>
        <translation>
            <numerusform>%n alarm</numerusform>
            <numerusform>%n alarms</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::AllowRuleDialog</name>
    <message>
        <source>Allow into %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ping (ICMP echo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any, a subnet (10.0.0.0/24), an address, or an address set ($name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Protocol:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preview…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VM is isolated: only its group reaches it. This rule lets more in (stateful: the answers go out).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::Application</name>
    <message>
        <source>migrating %1 from %2 to %3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (simulated: demo hosts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2, %3 % (%4 of %5 MiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 runs on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot migrate %1 to %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::BindingWatch</name>
    <message>
        <source>Port %1 bound on chassis %2, %3 s after the migration ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 still unbound %2 s after the migration: the VM has no network. Is ovn-controller running on the destination?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 still bound on chassis %2 %3 s after the migration: its traffic goes there. Is ovn-controller running on the destination?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network follows migration</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::ClusterSummaryBox</name>
    <message>
        <source>Fleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts connected, and those not answering or in maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VMs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VMs running, paused and stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPUs of the running VMs against the physical CPUs of the connected hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory of the running VMs against the connected hosts&apos; memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the Alarms dock</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n connected</source>
        <translation>
            <numerusform>%1 of %n connected</numerusform>
            <numerusform>%1 of %n connected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not answering</source>
        <translation>
            <numerusform>%n not answering</numerusform>
            <numerusform>%n not answering</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in maintenance</source>
        <translation>
            <numerusform>%n in maintenance</numerusform>
            <numerusform>%n in maintenance</numerusform>
        </translation>
    </message>
    <message>
        <source>all answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n running</numerusform>
            <numerusform>%n running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stopped</source>
        <translation>
            <numerusform>%n stopped</numerusform>
            <numerusform>%n stopped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n paused</source>
        <translation>
            <numerusform>%n paused</numerusform>
            <numerusform>%n paused</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n CPU(s)</source>
        <translation>
            <numerusform>%1 of %n CPU</numerusform>
            <numerusform>%1 of %n CPUs</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 vCPU per CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no connected host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 % committed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n active</source>
        <translation>
            <numerusform>%n active</numerusform>
            <numerusform>%n active</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n critical</source>
        <translation>
            <numerusform>%n critical</numerusform>
            <numerusform>%n critical</numerusform>
        </translation>
    </message>
    <message>
        <source>warnings only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::CommandLine</name>
    <message>
        <source>Vigie: operator console for libvirt hypervisors and OVN networks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prints the version and exits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opens the embedded demo datacenter (no daemon needed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connects to a libvirt URI (repeatable), e.g. qemu+ssh://root@hv1/system.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes the inventory as JSON to FILE (- for standard output) once loaded, and exits; no window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renders the main window offscreen to a PNG once loaded, and exits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the interface: fr or en (default: the system&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try &apos;vigie --help&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown language &apos;%1&apos;: use fr or en</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--timeout needs a positive number of seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connects to every host of the project&apos;s lab (scripts/lab up; directory from VIGIE_LAB_DIR, default /tmp/vigie-lab).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--dump-inventory needs --demo, --lab or --connect URI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connects to the network controller, an OVN northbound database: tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH (repeatable: the remotes of one cluster).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid controller remote &apos;%1&apos;: use tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Central view shown first: table or topology.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown view &apos;%1&apos;: use table or topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--migrate needs VM:HOST, for example web-1:lab-hv2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also reads the controller&apos;s OVN southbound database (chassis, port bindings): tcp:HOST:6642, ssl:HOST:6642 or unix:PATH (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--southbound needs --controller (the northbound database)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds to wait for the inventory before --dump-inventory, --screenshot or --migrate, and for a migrated VM to show on its destination (default 60).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Once connected, live-migrates the VM to the host (names as shown, or the host&apos;s URI) with the saved options, as a drag onto the host would; repeatable: the migrations run one after another. In the window they show in the migrations panel; with --screenshot, the picture is taken while the first runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No window: connects, runs the --migrate requests with their progress on standard error, writes --dump-inventory if asked, and exits: 0 when every VM runs on its destination, 1 with the reason otherwise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--no-window needs --migrate VM:HOST or --dump-inventory FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--screenshot needs the window: leave out --no-window and --dump-inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--no-window needs --demo, --lab or --connect URI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size of the window in the --screenshot picture (default 1600x900; 1366x768 for a laptop).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid --screenshot-size &apos;%1&apos;: use WIDTHxHEIGHT, e.g. 1366x768</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The metrics history database (SQLite) to use; by default history.sqlite in the user&apos;s data folder, and the demo&apos;s own demo-history.sqlite there with --demo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time window of the charts: 1m, 10m, 1h, 24h, 7d, 30d or 1y (default: the last one chosen).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown metrics window &apos;%1&apos;: use 1m, 10m, 1h, 24h, 7d, 30d or 1y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open every libvirt connection read-only (the daemon&apos;s read-only socket): the hypervisors refuse every change, and Vigie offers none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only this tenant&apos;s VMs, the VLANs they use and their share of the hosts (View › Tenant).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bottom dock shown in front: log, migrations, dashboard or alarms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown dock &apos;%1&apos;: use log, migrations, dashboard or alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes the usage report (View › Usage) of --usage-period as PDF to FILE (as PNG: its first page) once loaded, and exits; with --tenant, that tenant&apos;s only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period of --usage-report: current (the month so far, default), previous or YYYY-MM.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid --usage-period &apos;%1&apos;: use current, previous or YYYY-MM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search typed in the VM filter at start (table and topology), e.g. &quot;tenant:acme mem&gt;4G -state:running&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom of the topology at start: far (hosts as aggregates), mid (VMs without text), near (actual size) or fit (the whole topology, the default).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure how long the window&apos;s event loop is kept busy (its stalls) and print the figures on exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown topology zoom &apos;%1&apos;: use far, mid, near or fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tab of the details pane shown first: overview, metrics, console, display or xml; or network (policy, addresses), the Network panel beside it (at its Policy or Addresses view).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the topology&apos;s VM colours say: state (the default) or tenant (isolated groups outlined).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown details tab &apos;%1&apos;: use overview, metrics, console, display, xml, network, policy or addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown topology colour &apos;%1&apos;: use state or tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the hosts&apos; metrics from this Prometheus server (scraping prometheus-libvirt-exporter) instead of polling them; credentials as https://user:password@host, a bearer token in VIGIE_PROMETHEUS_TOKEN. Not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --prometheus: the exporter target INSTANCE (host:port) measures the host of libvirt URI (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid --prometheus &apos;%1&apos;: use http(s)://host:port</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::ConnectDialog</name>
    <message>
        <source>&amp;Read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>libvirt &amp;URI (qemu:///system, qemu+ssh://user@host/system, qemu+tls://host/system, test:///path/node.xml):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the connection read-only (the daemon&apos;s read-only socket): libvirt refuses every change made through it, and Vigie offers none. Remembered with the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigie runs read-only (--read-only): every connection is.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::ConnectionState</name>
    <message>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::ConsoleSessionBase</name>
    <message>
        <source>the host is not connected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::ConsoleView</name>
    <message>
        <source>Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the console again, without ending another client&apos;s session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End the other client&apos;s console session and open it here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this console in a window of its own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear scrollback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console of %1 is open in its own window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console of %1 opens when this tab is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a VM to see its serial console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to the serial console of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial console of %1. Copy: Ctrl+Shift+C, paste: Ctrl+Shift+V.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console of %1 closed (%2); reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not running: its console reconnects when it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another client holds the console of %1 (virsh console, virt-manager, another Vigie). Take over ends that client&apos;s session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host of %1 is not connected: its console reconnects when the host is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo datacenter has no real VMs, so there is no serial console to open. Connect to a real host, or to the lab (scripts/vigie --lab), to use it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This host&apos;s libvirt driver cannot open consoles: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no serial console that Vigie can open (it needs a serial port of type pty): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console of %1 could not be opened: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::ConsoleWindows</name>
    <message>
        <source>%1 — serial console — Vigie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — display — Vigie</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::ConsoleWorker</name>
    <message>
        <source>the console closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the console&apos;s stream failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::ControllerDialog</name>
    <message>
        <source>TLS (for ssl: remotes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to network controller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigie reads the OVN northbound database (logical switches and ports) and, when given, the southbound one (chassis and where each port is bound). Several remotes: the members of a cluster, separated by spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As ovn-nbctl&apos;s --db: tcp:HOST:6641, ssl:HOST:6641 or unix:PATH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As ovn-sbctl&apos;s --db: tcp:HOST:6642, ssl:HOST:6642 or unix:PATH. Optional: without it Vigie cannot tell where ports are bound.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Northbound:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Southbound:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CA that signed the databases&apos; certificates (ovn-nbctl&apos;s --ca-cert)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigie&apos;s own certificate, when the databases ask for one (ovn-nbctl&apos;s --certificate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key of that certificate (ovn-nbctl&apos;s --private-key). Only its path is remembered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CA certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ertificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;onnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget the controller: Vigie shows libvirt&apos;s network picture only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the northbound database&apos;s remote.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::ControllerSettings</name>
    <message>
        <source>The %1 %2 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 %2 cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a remote: write tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A southbound database needs its northbound database: give the northbound remote too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ssl: remotes need the CA certificate that signed the databases&apos; certificates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A client certificate needs its private key, and a private key its certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::ControllerUi</name>
    <message>
        <source>Untrusted controller certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate of %1 failed verification.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject: %1
SHA-256: %2

%3

Trust it only if you checked this fingerprint with the controller&apos;s administrator. Otherwise give the right CA certificate in File › Connect to network controller….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trust this certificate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::CredentialsDialog</name>
    <message>
        <source>Authentication required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; asks for credentials. They are used for this connection only and never stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remember the password in the desktop&apos;s keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept by the desktop&apos;s keyring (GNOME Keyring, KWallet, KeePassXC…), never in Vigie&apos;s settings; given to this host at the next connection without asking. Untick to forget it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; asks for credentials.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::CredentialsUi</name>
    <message>
        <source>The password remembered in the desktop&apos;s keyring was refused: enter it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The desktop&apos;s keyring did not answer (%1): the password cannot be remembered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password not remembered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The desktop&apos;s keyring did not keep the password of %1: %2. It is asked again at the next connection.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::DashboardPanel</name>
    <message>
        <source>Top CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top memory (resident on the host)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top disk (read + write)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top network (received + sent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click a VM to select it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R + W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rx + Tx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VMs using the most CPU, of their vCPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top network</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::DemoDatacenter</name>
    <message>
        <source>cannot create a temporary directory: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no demo host files in this build</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::DomainXmlEditor</name>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the saved definition of this VM (Ctrl+E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the definition, show what changes, then save it (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop your changes and show the live XML again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes to the saved definition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;!-- loading… --&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the saved definition…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;!-- cannot read the domain XML: %1 --&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the saved definition: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The definition is not valid domain XML: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The &lt;uuid&gt; must stay %1: a different or missing UUID would define another VM.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The &lt;name&gt; must stay %1: libvirt renames a VM only when it is shut off, with virsh domrename.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to apply: the definition is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the definition…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>libvirt refused the definition; nothing was changed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Editing the saved definition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Definition saved. The running VM takes most changes at its next boot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Definition saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live configuration, read-only</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::EmptyFleetPage</name>
    <message>
        <source>No host connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a libvirt host, or open the demo datacenter: a fleet and its network controller, with no infrastructure.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::EvacuationDialog</name>
    <message>
        <source>&amp;Copy the VMs&apos; disks to the destination (storage not shared between hosts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evacuate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Migrate %n VM(s) off %1 and put it in maintenance? Each goes through the migration queue to the host chosen below.</source>
        <translation>
            <numerusform>Migrate %n VM off %1 and put it in maintenance? Each goes through the migration queue to the host chosen below.</numerusform>
            <numerusform>Migrate %n VMs off %1 and put it in maintenance? Each goes through the migration queue to the host chosen below.</numerusform>
        </translation>
    </message>
    <message>
        <source>VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n vCPU(s)</source>
        <translation>
            <numerusform>%1 · %n vCPU</numerusform>
            <numerusform>%1 · %n vCPUs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n disk(s)</source>
        <translation>
            <numerusform>%n disk</numerusform>
            <numerusform>%n disks</numerusform>
        </translation>
    </message>
    <message>
        <source>off</source>
        <comment>a VM that is not running</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is off: it moves as its definition and takes no memory on the destination until it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hosts that can take %1. Another choice is checked again against the other moves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (site %2)</source>
        <comment>a destination on another site</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 free before the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) cannot move and stay on %1:</source>
        <translation>
            <numerusform>%n VM cannot move and stays on %1:</numerusform>
            <numerusform>%n VMs cannot move and stay on %1:</numerusform>
        </translation>
    </message>
    <message>
        <source>Why it stays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needed when the disk images are local to each host; leave unchecked on shared storage. A VM that is off moves as its definition: its disks are not copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Evacuate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No VM can move.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) do not fit where they are sent: choose another host for them.</source>
        <translation>
            <numerusform>%n VM does not fit where it is sent: choose another host for it.</numerusform>
            <numerusform>%n VMs do not fit where they are sent: choose another host for them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::EvacuationPlan</name>
    <message>
        <source>Not enough free memory left on %1 once the plan&apos;s other VMs are there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No other host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pre-flight does not accept this host for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not enough free memory on %1 for the VMs the plan sends there: %2 needed, %3 free.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is on another site (%2) than %3 (%4): the VM&apos;s memory crosses the link between the sites, and so do its disks, in full, if they are copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is on another site (%2) than %3 (%4): a VM that is off moves as its definition only, so its disks must be reachable from %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No host of %1 can take it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shares %1 with %2, of the same tier (%3): that host down stops them together.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hosts that can take it without one of its tier are on another site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every other host that can take it already holds one of its tier.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::EventLogModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::EventSearchDialog</name>
    <message>
        <source>&amp;Export as CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host, connection, VM, action, result or user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Containing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The newest %1 events; narrow the search to see older ones</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n event</numerusform>
            <numerusform>%n events</numerusform>
        </translation>
    </message>
    <message>
        <source>No stored history: the event log is kept for this session only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::FleetStatus</name>
    <message numerus="yes">
        <source>%n connected</source>
        <translation>
            <numerusform>%n connected</numerusform>
            <numerusform>%n connected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n connecting</source>
        <translation>
            <numerusform>%n connecting</numerusform>
            <numerusform>%n connecting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unreachable</source>
        <translation>
            <numerusform>%n unreachable</numerusform>
            <numerusform>%n unreachable</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message>
        <source>No connection — File › Connect to host… or Open demo datacenter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo datacenter&lt;/b&gt; · </source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n host(s): </source>
        <translation>
            <numerusform>%n host: </numerusform>
            <numerusform>%n hosts: </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s), %1 running</source>
        <translation>
            <numerusform>%n VM, %1 running</numerusform>
            <numerusform>%n VMs, %1 running</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::HistoryUi</name>
    <message>
        <source>&amp;Event history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Usage…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the stored event log by text and time, export it as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What each tenant&apos;s VMs were allocated and used, and what it costs; CSV and PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The metrics history was damaged and has been set aside</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be read (%2). It was renamed %3 and kept for inspection; a new history starts now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No metrics history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: charts show the last hour only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The metrics history cannot be written</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::HostRater</name>
    <message>
        <source>After the move: %1 of %2 free</source>
        <extracomment>%1 free memory, %2 the host&apos;s memory</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1/%2 vCPUs committed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (over-committed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>CPU load %1 % over the last %n minute(s).</source>
        <translation>
            <numerusform>CPU load %1 % over the last minute.</numerusform>
            <numerusform>CPU load %1 % over the last %n minutes.</numerusform>
        </translation>
    </message>
    <message>
        <source>No recent load figures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>VLAN(s) %1 present.</source>
        <translation>
            <numerusform>VLAN %1 present.</numerusform>
            <numerusform>VLANs %1 present.</numerusform>
        </translation>
    </message>
    <message>
        <source>CPU compatible.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU not compared with the source&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes %1 of %2 VMs; %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::HostTreeModel</name>
    <message>
        <source>%1 · %2 CPUs · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Committed: %1 vCPUs, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2, libvirt %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo host (libvirt test driver)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host / VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n VM(s))</source>
        <translation>
            <numerusform>%1 (%n VM)</numerusform>
            <numerusform>%1 (%n VMs)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n VM(s) of %2)</source>
        <extracomment>A host in the tenant scope: its name, and how many of the tenant&apos;s VMs it holds</extracomment>
        <translation>
            <numerusform>%1 (%n VM of %2)</numerusform>
            <numerusform>%1 (%n VMs of %2)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1&apos;s share: %2 vCPUs (%3 % of %4 CPUs), %5 (%6 % of %7)</source>
        <extracomment>The tenant&apos;s share of a host: its running VMs&apos; vCPUs and memory, as parts of the host&apos;s</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1
%n vCPU(s) · %2
Tenant: %3</source>
        <translation>
            <numerusform>%1
%n vCPU · %2
Tenant: %3</numerusform>
            <numerusform>%1
%n vCPUs · %2
Tenant: %3</numerusform>
        </translation>
    </message>
    <message>
        <source>In maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In maintenance: nothing new is placed here; End maintenance brings VMs back.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::Hypervisor</name>
    <message numerus="yes">
        <source>%n more warning(s) not shown</source>
        <translation>
            <numerusform>%n more warning not shown</numerusform>
            <numerusform>%n more warnings not shown</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: control characters removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 truncated to %2 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>document type declarations are not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entity reference &quot;&amp;%1;&quot; is not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>elements are nested deeper than %1 levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain XML has no root element</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a libvirt domain: the root element is &lt;%1&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>malformed domain XML at line %1, column %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain XML rejected at line %1, column %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain XML has no name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain XML has no UUID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain XML has an invalid UUID &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 NICs, only the first %2 kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 disks, only the first %2 kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate &lt;%1&gt; ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid current vCPU count &quot;%1&quot; ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid vCPU count &quot;%1&quot;, shown as 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;%1&gt; has an unknown unit &quot;%2&quot;, shown as 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;%1&gt; has an invalid value &quot;%2&quot;, shown as 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;%1&gt; value %2 %3 is too large, shown as 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OS type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 %2</source>
        <extracomment>%1 is the NIC number, %2 a field such as &quot;MAC address&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>portgroup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interface ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: invalid tag &quot;%2&quot; ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: more than %2 tags, the rest ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disk %1 %2</source>
        <extracomment>%1 is the disk number, %2 a field such as &quot;source&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain XML is too large: %1 bytes, the limit is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain XML is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network XML has no root element</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a libvirt network: the root element is &lt;%1&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>malformed network XML at line %1, column %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network XML rejected at line %1, column %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network XML has no name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network XML has no UUID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network XML has an invalid UUID &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network XML is too large: %1 bytes, the limit is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network XML is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nova name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag dropped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag “%1” dropped: more than %2 tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OS</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::HypervisorSession</name>
    <message>
        <source>The connection to %1 was closed before libvirt answered.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::HypervisorWorker</name>
    <message>
        <source>connection error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daemon closed the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalive timeout: the host stopped answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host is not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The running NIC moved, but the saved definition was not updated (it will come back in its old VLAN at next boot): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This host cannot change a running NIC: the VLAN applies at next boot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the host offers no hardware-virtualized guest type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the host has no active storage pool for the %1 GiB disk: start or define one (virsh pool-define-as default dir --target /var/lib/libvirt/images), or use a template without a disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the host is connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the host is not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is managed by OpenStack Nova, which owns its definition: Vigie does not write tags into it. Use Nova&apos;s server tags (openstack server set --tag).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a VM carries at most %1 tags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::Inventory</name>
    <message>
        <source>VLAN %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::JobsPanel</name>
    <message>
        <source>No migration. Drag a VM onto another host, or use VM › Migrate to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removes the finished migrations from this list (the event log keeps them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;  %2 → %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  &lt;i&gt;(demo, simulated)&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aborts the migration: the VM keeps running on its host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>downtime %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 remaining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pass %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 dirty pages/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected downtime %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no longer cancellable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At once per host: </source>
        <extracomment>Prefix of the spin box: at most N migrations at once per host</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many queued migrations may leave, and arrive on, one host at the same time. Parallel migrations share the migration network: each takes longer to converge, and each VM&apos;s final pause grows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sooner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moves this migration up the queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moves this migration down the queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queues this migration again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes it out of the queue: it never starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Waits for a free slot: at most %n migration(s) at once leave or reach a host.</source>
        <translation>
            <numerusform>Waits for a free slot: at most %n migration at once leaves or reaches a host.</numerusform>
            <numerusform>Waits for a free slot: at most %n migrations at once leave or reach a host.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n running</numerusform>
            <numerusform>%n running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n pending</numerusform>
            <numerusform>%n pending</numerusform>
        </translation>
    </message>
    <message>
        <source>?</source>
        <extracomment>Migration route: the destination is not known yet (a migration Vigie did not start)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  &lt;i&gt;(started before Vigie)&lt;/i&gt;</source>
        <extracomment>A migration that was running when Vigie started (Vigie had quit or was killed)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnects the two hosts&apos; halves of the VM and completes the migration (libvirt&apos;s post-copy recovery). Do it once the hosts reach each other again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused on %1, stalled on %2 until the migration is resumed</source>
        <extracomment>After a failed post-copy: where the VM&apos;s two halves wait</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resume migration</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::Keyring</name>
    <message>
        <source>the keyring gave no reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::LabDescription</name>
    <message>
        <source>No lab is running in %1: start one with scripts/lab up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lists no host.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::LibvirtSasl</name>
    <message>
        <source>a message of the wrong length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not libvirt&apos;s remote protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daemon announced a message longer than %1 bytes, or shorter than a header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daemon answered another call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no TLS configuration (CA file %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unreadable list of authentication types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daemon refused to list its authentication types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unreadable list of SASL mechanisms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daemon refused to list its SASL mechanisms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MD5-based, declared historic by RFC 6331</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an MD5 challenge-response, with no protection against a replayed or offline-cracked exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-1, superseded by SCRAM-SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NTLM&apos;s MD4 and MD5 hashes, long broken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SASL to %1 refused: over plain TCP libvirt needs a mechanism that encrypts the session, and the daemon offers only broken ones for that: %2. Vigie sent no credentials. Connect over TLS (qemu+tls://%3/system) to use %4, or enable GSSAPI.</source>
        <extracomment>%1 host:port, %2 broken SASL mechanisms with why, %3 host, %4 a usable mechanism</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SASL to %1 refused: besides broken mechanisms (%2) the daemon offers only %3, which sends the password as it is, and the URI does not verify the server&apos;s certificate (no_verify=1). Vigie sent no credentials. Verify the server, or enable SCRAM-SHA-256 in the host&apos;s SASL configuration for libvirt (mech_list in /etc/sasl2/libvirt.conf).</source>
        <extracomment>%1 host:port, %2 broken SASL mechanisms with why, %3 a mechanism sending the password as is</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SASL to %1 refused: the daemon offers only broken mechanisms: %2. Vigie sent no credentials. Enable SCRAM-SHA-256 or GSSAPI in the host&apos;s SASL configuration for libvirt (mech_list in /etc/sasl2/libvirt.conf).</source>
        <extracomment>%1 host:port, %2 broken SASL mechanisms with why</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::LibvirtTls</name>
    <message>
        <source>unknown CA: the server&apos;s certificate was not issued by the CA in %1</source>
        <extracomment>TLS check; %1 is a file</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired: the server&apos;s certificate expired on %1</source>
        <extracomment>TLS check; %1 is a date and time</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not yet valid: the server&apos;s certificate is valid from %1</source>
        <extracomment>TLS check; %1 is a date and time</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host name not in the certificate: the server&apos;s certificate does not name %1 (it names %2)</source>
        <extracomment>TLS check; %1 is the host of the URI, %2 the names in the certificate</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoked: the server&apos;s certificate was revoked by its CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server&apos;s certificate failed verification: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client certificate refused by the server: it did not accept Vigie&apos;s certificate %1</source>
        <extracomment>TLS check; %1 is a file</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server certificate: subject &quot;%1&quot;, SHA-256 %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigie&apos;s certificate: subject &quot;%1&quot;, SHA-256 %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigie has no client certificate (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS to %1:%2 refused, %3. %4 Nothing was sent unencrypted.</source>
        <extracomment>%1:%2 host and port, %3 the failed check, %4 the certificate&apos;s subject and fingerprint</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(libvirt: %1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::LibvirtUri</name>
    <message>
        <source>The URI is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a libvirt URI: it starts with a driver and &quot;://&quot;, as in qemu:///system or qemu+ssh://root@host/system.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>libvirt has no driver &quot;%1&quot; (qemu, test, xen, lxc, ch, esx…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>libvirt has no transport &quot;%1&quot; (ssh, libssh, libssh2, tls, tcp, unix, ext).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The URI is malformed (spaces, or characters that must be escaped).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SASL mechanism %1 is broken (%2): Vigie does not connect with it. Name SCRAM-SHA-256 or GSSAPI (auth=sasl.SCRAM-SHA-256), or leave the choice to the server.</source>
        <extracomment>%1 a SASL mechanism, %2 why it is refused</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::LifecycleActions</name>
    <message>
        <source>Start the selected VMs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the selected VMs&apos; guests to shut down (ACPI)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the selected VMs&apos; guests to reboot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Power off the selected VMs at once, like pulling the plug</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause the selected VMs (their memory stays allocated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume the selected paused VMs</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Shut down %n VM(s)?</source>
        <translation>
            <numerusform>Shut down %n VM?</numerusform>
            <numerusform>Shut down %n VMs?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reboot %n VM(s)?</source>
        <translation>
            <numerusform>Reboot %n VM?</numerusform>
            <numerusform>Reboot %n VMs?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Force off %n VM(s)?</source>
        <translation>
            <numerusform>Force off %n VM?</numerusform>
            <numerusform>Force off %n VMs?</numerusform>
        </translation>
    </message>
    <message>
        <source>Force off cuts the power: unsaved data in the guests is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::LogicalSwitchModel</name>
    <message numerus="yes">
        <source>Logical switch %1: VLAN %2 on physical network %3 (localnet port %4), %n VM port(s)</source>
        <translation>
            <numerusform>Logical switch %1: VLAN %2 on physical network %3 (localnet port %4), %n VM port</numerusform>
            <numerusform>Logical switch %1: VLAN %2 on physical network %3 (localnet port %4), %n VM ports</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Logical switch %1: overlay network (no VLAN), %n VM port(s)</source>
        <translation>
            <numerusform>Logical switch %1: overlay network (no VLAN), %n VM port</numerusform>
            <numerusform>Logical switch %1: overlay network (no VLAN), %n VM ports</numerusform>
        </translation>
    </message>
    <message>
        <source>overlay</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM port(s)</source>
        <translation>
            <numerusform>%n VM port</numerusform>
            <numerusform>%n VM ports</numerusform>
        </translation>
    </message>
    <message>
        <source>Port %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No known VM NIC has this interface id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unclaimed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch / port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owned by %1: read-only in Vigie. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unbound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (elsewhere)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No known VM NIC has this port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Binding unknown: Vigie does not read the controller&apos;s southbound database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No chassis has claimed the port: %1&apos;s NIC has no network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bound to chassis %1, not the host %2 runs on: its traffic goes there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bound to chassis %1, the host %2 runs on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bound to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 free</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subnet %1: %2 address(es) used by ports, %3 free</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subnet %1, gateway %2: %3 address(es) used by ports, %4 free</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No subnet known: neither other_config:subnet nor DHCP options.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MainWindow</name>
    <message>
        <source>Vigie — private cloud console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to host…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a libvirt host by URI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the embedded demo datacenter (no infrastructure needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reconnect host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect the selected host now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the selected host&apos;s connection and forget it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;fresh all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read every host&apos;s inventory again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the VM table by name, host, tenant, state or VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Vigie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Vigie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Vigie %1&lt;/h3&gt;&lt;p&gt;Operator console for private clouds: libvirt hypervisors and OVN networks, live.&lt;/p&gt;&lt;p&gt;Qt %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open de&amp;mo datacenter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot migrate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Metrics interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Every %n second(s)</source>
        <translation>
            <numerusform>Every second</numerusform>
            <numerusform>Every %n seconds</numerusform>
        </translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Virtual machines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Evacuate host…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrate every VM off the selected host and put it in maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End &amp;maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let VMs be placed on the selected host again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Virtual machines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the VM table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show hosts, VMs and VLANs as a picture; drag a VM to migrate it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topology &amp;zoom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fit to window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export topology as &amp;PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export topology as &amp;SVG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG pictures (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG pictures (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export topology as SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export topology as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topology exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 created on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 not created on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It could not be requested on the destination chassis: %1. The migration goes on; the port is claimed there when the source lets it go.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It kept its migration options: %1. Check its requested-chassis in the controller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to network &amp;controller…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to an OVN network controller (its northbound and southbound databases)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the selected VM&apos;s serial console in a window of its own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 not created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put every panel back where a first start has it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every shortcut and gesture of the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag a VM onto a host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrate it (the dialog asks how)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift + drag a VM onto a host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrate it with the last options, without the dialog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag a VM onto a VLAN lane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move one of its NICs into that VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag a template onto a host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place a new VM there, then choose its VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Esc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel a drag or a placement under way in the topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click an alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select its VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter hosts and VMs (host:, tenant:, tag:…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The best host for this: %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rearrange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort each host&apos;s VMs by name again and close the gaps left by VMs that went</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topology &amp;colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By &amp;state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VMs coloured by their state: running, paused, shut off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By &amp;tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VMs coloured by their tenant, with a legend; VMs isolated by Vigie outlined in their group&apos;s colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit &amp;XML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected VM&apos;s saved definition in the details pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Evacuate %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End &amp;maintenance of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::Metric</name>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resident memory on the host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk read operations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk write operations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packets received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packets sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host memory used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%</source>
        <extracomment>Unit of CPU load</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KiB</source>
        <extracomment>Unit: kibibytes (French: Kio)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B/s</source>
        <extracomment>Unit: bytes per second (French: o/s)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MiB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GiB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TiB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/s</source>
        <extracomment>Unit: operations or packets per second</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>k/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>M/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MetricsChart</name>
    <message>
        <source>Export as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export data as CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — no figures since %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (max %2)</source>
        <extracomment>Crosshair of a long-range chart: a bucket&apos;s average, then its maximum</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 – %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 — %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (dashed, right-hand axis)</source>
        <extracomment>Tooltip of a chart&apos;s legend: the line&apos;s full name, for lines on the right-hand axis</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MetricsPanel</name>
    <message>
        <source>&amp;Window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 10 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of its vCPUs</source>
        <extracomment>Legend of the CPU chart: share of the VM&apos;s vCPUs</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>used</source>
        <extracomment>Legends of the memory chart (short): used by the guest, available to it, resident on the host</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resident (host)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read</source>
        <extracomment>Legends of the disk chart (short): bytes read, written, then operations (dashed)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read ops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write ops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>received</source>
        <extracomment>Legends of the network chart (short): bytes received, sent, then packets (dashed)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pkts in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pkts out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all host CPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · no figures yet: they come with the host&apos;s next tick</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · synthetic figures (demo datacenter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · no stored history: only the last hour is shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom range…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time shown by every chart; over an hour, the stored history&apos;s minute or hour averages, with their maxima as a faint line. On a chart, the wheel zooms and a drag moves back in time; right-click a chart to export it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the chosen window, ending now (or double-click a chart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MetricsSourceDialog</name>
    <message>
        <source>&amp;Direct: each host is polled through its libvirt connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Prometheus: a server scraping prometheus-libvirt-exporter on each host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User and password (basic)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>10.0.0.11:9177=qemu+ssh://hv1/system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ta&amp;rgets:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One &quot;instance=libvirt URI&quot; a line, for exporters that cannot be matched otherwise. Without it a target is matched by its libvirt_uri label, then by the VMs it reports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the Prometheus server&apos;s URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The URL must be http:// or https:// with a host name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password and the token are kept in the desktop&apos;s keyring (GNOME Keyring, KWallet, KeePassXC…), never in Vigie&apos;s settings file; prefer an account or token that can only read metrics.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MetricsSourceUi</name>
    <message>
        <source>Metrics &amp;source…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Poll each host directly, or read the metrics from a Prometheus server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics: Prometheus (off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics: Prometheus…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics: Prometheus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics: Prometheus not answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Prometheus token is not in the keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Prometheus password is not in the keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter it again in View › Metrics source…: Vigie keeps it in the desktop&apos;s keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The desktop&apos;s keyring did not answer: %1. Vigie reads Prometheus without it; enter it again in View › Metrics source… to use it until Vigie quits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The desktop&apos;s keyring did not take it: %1. Vigie uses it until it quits; enter it again in View › Metrics source… after the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Prometheus password is not remembered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Prometheus token is not remembered</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::Migration</name>
    <message>
        <source>Preparing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post-copy</source>
        <extracomment>Migration phase: the VM already runs on the destination, its memory follows on demand</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post-copy failed</source>
        <extracomment>Migration phase: the network failed after the switchover; the VM waits for the migration to be resumed</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It can no longer be cancelled: the VM already runs on the destination and part of its memory is still only on the source. It can only be completed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post-copy failed: neither host holds all of the VM&apos;s memory. Resume the migration once the hosts reach each other again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationController</name>
    <message>
        <source>This VM is already being migrated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To %1 started%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (simulated: demo hosts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To %1 completed in %2 s, downtime %3 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To %1 completed in %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To %1 cancelled: the VM stays on its host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the VM stays on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running without Vigie: followed again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To %1 running without Vigie: followed again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused by a migration that did not complete: resume it on this host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interrupted: Vigie stopped during the migration, which did not complete; the VM is paused on %1: resume it there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interrupted: Vigie stopped during the migration, which did not complete; the VM keeps running on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completed while Vigie was not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ended while Vigie was not running; the VM is no longer on %1 and not running on the destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its post-copy migration failed: resume that migration, nothing else brings the VM back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post-copy failed: paused here, stalled on the destination; resume the migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To %1: post-copy failed (%2); the VM is paused on %3 and stalled on %1 until the migration is resumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such migration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a migration whose post-copy failed can be resumed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both hosts must be connected to resume the migration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To %1: resuming the post-copy migration</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationDialog</name>
    <message>
        <source>&amp;Live (the VM keeps running)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Define on the destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove the definition from the source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Auto-converge (slow down a busy guest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Compress memory pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Post-copy after the first pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;non-shared disks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move &lt;b&gt;%1&lt;/b&gt; from &lt;b&gt;%2&lt;/b&gt; to &lt;b&gt;%3&lt;/b&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>libvirt&apos;s default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest pause of the VM when it switches over to the destination.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MiB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copies local disk images to the destination (slower); leave it off for shared storage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum &amp;downtime:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bandwidth:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Migrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Migrate %n VM(s)</source>
        <translation>
            <numerusform>Migrate %n VM</numerusform>
            <numerusform>Migrate %n VMs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %n VM(s) to &lt;b&gt;%1&lt;/b&gt;, through the migration queue.</source>
        <translation>
            <numerusform>Move %n VM to &lt;b&gt;%1&lt;/b&gt;, through the migration queue.</numerusform>
            <numerusform>Move %n VMs to &lt;b&gt;%1&lt;/b&gt;, through the migration queue.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cannot go and are left out.</source>
        <translation>
            <numerusform>%n cannot go and is left out.</numerusform>
            <numerusform>%n cannot go and are left out.</numerusform>
        </translation>
    </message>
    <message>
        <source>VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre-flight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many queued migrations may leave, and arrive on, one host at the same time. Parallel migrations share the migration network: each takes longer to converge, and each VM&apos;s final pause grows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At once per &amp;host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct (Vigie drives both hosts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer to peer (the source host connects to the destination)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct: Vigie connects to both hosts&apos; libvirt and drives the migration (libvirt&apos;s managed direct migration). Peer to peer: the source host&apos;s libvirt connects to the destination itself: the hosts must reach each other&apos;s libvirt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post-copy: after the first full pass the VM switches over and runs on the destination before all of its memory is copied; the rest follows on demand. It always converges, but once switched over it can no longer be cancelled, and if the network between the hosts fails then, the VM stays paused on both hosts until the migration is resumed (Resume migration, once they reach each other again).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationJob</name>
    <message>
        <source>Cannot connect to the source host: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot connect to the destination host: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The destination host stopped answering; the migration was aborted and the VM keeps running on the source (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The source host stopped answering during the migration (%1); check where the VM runs once it is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The migration ended without completing; the VM is paused on the source: resume it there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The migration ended without completing; the VM keeps running on the source.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The source host stopped answering while Vigie followed the migration; check where the VM runs once it is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The migration failed after the switchover.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationQueue</name>
    <message>
        <source>libvirt completed the migration, but %1 did not show up on %2 within %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no VM named %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 VMs are named %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no host named %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationScheduler</name>
    <message>
        <source>Pending</source>
        <extracomment>A queued migration waiting for its turn</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled before it started</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationWorkflow</name>
    <message>
        <source>&amp;Migrate to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live-migrates the selected VMs to another host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot migrate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 free)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 VMs can go; %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrate here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evacuate %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End maintenance of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is out of maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bring the VMs back?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Bring the %n VM(s) evacuated from %1 back to it?</source>
        <translation>
            <numerusform>Bring the %n VM evacuated from %1 back to it?</numerusform>
            <numerusform>Bring the %n VMs evacuated from %1 back to it?</numerusform>
        </translation>
    </message>
    <message>
        <source>They go through the migration queue, with the last migration options: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bring back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot evacuate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is now in maintenance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evacuating %1: %2 % (%3 of %4 VMs moved, %5 failed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 evacuated</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) moved; the host is in maintenance.</source>
        <translation>
            <numerusform>%n VM moved; the host is in maintenance.</numerusform>
            <numerusform>%n VMs moved; the host is in maintenance.</numerusform>
        </translation>
    </message>
    <message>
        <source>Evacuation of %1 incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) moved, %1 failed:</source>
        <translation>
            <numerusform>%n VM moved, %1 failed:</numerusform>
            <numerusform>%n VMs moved, %1 failed:</numerusform>
        </translation>
    </message>
    <message>
        <source>Migrate without the dialog?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrate %1 to %2 now, with the last migration options?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift + drop migrates at once. It is not asked again until Vigie restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) cannot migrate</source>
        <translation>
            <numerusform>%n VM cannot migrate</numerusform>
            <numerusform>%n VMs cannot migrate</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them are managed by OpenStack Nova, which will still record them on %1 (its own evacuation, nova host-evacuate-live, moves them with OpenStack&apos;s knowledge).</source>
        <translation>
            <numerusform>%n of them is managed by OpenStack Nova, which will still record it on %1 (Nova&apos;s own evacuation, nova host-evacuate-live, moves it with OpenStack&apos;s knowledge).</numerusform>
            <numerusform>%n of them are managed by OpenStack Nova, which will still record them on %1 (Nova&apos;s own evacuation, nova host-evacuate-live, moves them with OpenStack&apos;s knowledge).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 moved to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift + drop migrated it without the dialog.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrate back to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume mi&amp;gration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resumes the selected VMs&apos; migrations that failed after the switchover, once their hosts reach each other again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post-copy failed: the VM is paused on its source and stalled on its destination, each holding part of its memory. Resuming the migration is the only way back; a destroy or a start on either host loses the guest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot resume the migration of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::NetworkController</name>
    <message>
        <source>No network controller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start with --controller REMOTE (tcp:, ssl: or unix:) or --lab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OVN northbound: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current remote: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n logical switch(es), </source>
        <translation>
            <numerusform>%n logical switch, </numerusform>
            <numerusform>%n logical switches, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n port(s)</source>
        <translation>
            <numerusform>%n port</numerusform>
            <numerusform>%n ports</numerusform>
        </translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network controller</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Connected: %n logical switch(es)</source>
        <translation>
            <numerusform>Connected: %n logical switch</numerusform>
            <numerusform>Connected: %n logical switches</numerusform>
        </translation>
    </message>
    <message>
        <source>Unreachable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network controller is not connected (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The NIC %1 has no port in the network controller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network controller has no switch for VLAN %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port %1 is in no logical switch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The NIC %1 is already being moved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move NIC %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The controller refused to move port %1 from %2 to %3: %4. Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port %1 moved from %2 to %3; libvirt follows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>libvirt refused: %1. The controller&apos;s port %2 was moved back to %3: nothing changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>libvirt refused: %1. Moving the controller&apos;s port %2 back to %3 failed too (%4): the controller has the NIC in %5 (VLAN %6) while libvirt keeps its old VLAN. Fix it from the Network panel&apos;s mismatch list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now in %1, controller and libvirt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The controller refused to move port %1 from %2 to %3: %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port %1 moved from %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A VLAN needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A VLAN id is between 1 and 4094.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A logical switch named %1 already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1 already exists: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create VLAN %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not created: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The logical switch no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 still has %n VM port(s): move or remove them first.</source>
        <translation>
            <numerusform>%1 still has %n VM port: move or remove it first.</numerusform>
            <numerusform>%1 still has %n VM ports: move or remove them first.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete VLAN %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not deleted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the network changed meanwhile (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VM has no NIC with MAC address %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 has no Open vSwitch interface id: the controller cannot know it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 already has its port in the controller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A port named %1 already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network controller has no switch for the VLAN of NIC %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add port of NIC %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port %1 added to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not added: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo controller: stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo controller: connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo controller: reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo controller: simulated, in memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo controller: unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No southbound database: port bindings and chassis are not shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OVN southbound: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n chassis</source>
        <translation>
            <numerusform>%n chassis</numerusform>
            <numerusform>%n chassis</numerusform>
        </translation>
    </message>
    <message>
        <source>Southbound not connected%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 belongs to %2: Vigie does not change it behind its owner&apos;s back. %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The switch %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port %1 moved from %2 to %3 (libvirt has nothing to change)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port %1 moved from %2 to %3 with the address %4; the guest takes it at its next DHCP renewal (libvirt has nothing to change)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port %1 added to %2, in the isolation group %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with the address %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gateway %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>DHCP lease %n s</source>
        <translation>
            <numerusform>DHCP lease %n s</numerusform>
            <numerusform>DHCP lease %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::NetworkCorrelation</name>
    <message>
        <source>Port without VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC without port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN differs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 on switch %2 has no VM NIC plugged into it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 on switch %2 is for VM %3, which has no NIC with that interface id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 of %2 (interface id %3) has no port in the controller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 of %2 is in VLAN %3 in libvirt but in VLAN %4 (switch %5) in the controller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 of %2 has no VLAN in libvirt but is in VLAN %3 (switch %4) in the controller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bound elsewhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port unbound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 runs on its host, but its port %2 is bound to chassis %3: its traffic goes there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is running, but no chassis has claimed its port %2: the NIC has no network. Is ovn-controller running on its host?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address outside subnet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No port security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 (%2) on switch %3 has %4, which port %5 has too: one of them gets no traffic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 (%2) has %3, outside the subnet %4 of switch %5: DHCP does not give it and its traffic is not routed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 of %2 has no port security: the VM can send from any MAC and IP address on switch %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outside its isolation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a VM of tenant %2, which is isolated by port group %3, but its port %4 is not in the group: its traffic escapes the tenant&apos;s isolation.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::NetworkMismatchModel</name>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mismatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC / port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::NetworkPanel</name>
    <message>
        <source>&amp;New VLAN…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete VLAN…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n switch(es)</source>
        <translation>
            <numerusform>%n switch</numerusform>
            <numerusform>%n switches</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n port(s)</source>
        <translation>
            <numerusform>%n port</numerusform>
            <numerusform>%n ports</numerusform>
        </translation>
    </message>
    <message>
        <source>Controller and libvirt agree.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n mismatch(es) between the controller and libvirt:</source>
        <translation>
            <numerusform>⚠ %n mismatch between the controller and libvirt:</numerusform>
            <numerusform>⚠ %n mismatches between the controller and libvirt:</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a VLAN first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot delete %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete VLAN %1 (%2) from the network controller?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the logical switch %1 from the network controller?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It has no VM port. Its localnet port goes with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put the NIC in VLAN %1 in libvirt (the controller&apos;s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the port to VLAN %1 in the controller (libvirt&apos;s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create its port in the controller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No network controller.
Connect to an OVN controller&apos;s databases, or start Vigie with --controller tcp:HOST:6641 or with --lab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to network &amp;controller…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port is no VM&apos;s NIC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the NIC another address…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn port security on…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Switches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port groups and ACLs: the rules the controller applies to the VMs&apos; traffic, in words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove this isolation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VLAN (logical switch) whose addresses are listed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;VLAN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A VLAN&apos;s subnet and every address: used (by which VM and NIC), free ranges, gateway, excluded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this &amp;rule…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This rule is a switch&apos;s, not an isolation&apos;s: change it where it was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Assign an address…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the NIC&apos;s address: a free one is offered, a typed one is checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The NIC has no port any more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put the port into %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit su&amp;bnet…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a VLAN first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VLAN&apos;s subnet, excluded addresses, gateway, DNS servers and DHCP lease</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::NewVmDialog</name>
    <message>
        <source>&amp;Start it once created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New VM from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name starts with a letter or digit, then letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos; (64 at most).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already has a VM named %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::NextBoot</name>
    <message>
        <source>no VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLANs %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 added, in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 in %2 (now %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 on %2 (now %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 vCPUs (now %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of memory (now %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::NicTableModel</name>
    <message>
        <source>%1, model %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Portgroup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OVS interface ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wired by libvirt: no network controller port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (OVN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logical switch %1, port %2 (network controller)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owned by %1: read-only in Vigie.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port has no IP address in the controller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Binding unknown: Vigie does not read the controller&apos;s southbound database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No chassis has claimed the port: the NIC has no network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unbound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bound to chassis %1, not the VM&apos;s host: its traffic goes there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (elsewhere)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bound to chassis %1, the VM&apos;s host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bound to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::NotificationBar</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (×%1)</source>
        <extracomment>A notification that came again: how many times in all (&quot;×3&quot;)</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::OvnOwner</name>
    <message>
        <source>OpenStack Neutron</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change it through OpenStack (Horizon, or the openstack network / port commands): Neutron would revert a change made in OVN behind its back.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::OvnPolicy</name>
    <message>
        <source>security group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Neutron&apos;s default drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>isolation of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::PolicyActions</name>
    <message>
        <source>Security &amp;policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The controller&apos;s security policy of the VM&apos;s NICs: port groups and their rules; tenant isolation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolation of %1 changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolation of %1 not changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1: wired by libvirt; the controller applies no policy to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 · port %2 · switch %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  no rule: all traffic passes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  group %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  rules of switch %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show the policy of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network controller is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolate the &amp;tenant…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolate the &amp;tenant %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected VMs belong to several tenants.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VM has no tenant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is isolated already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the tenant&apos;s VMs may talk to each other (and to their gateways); the rest is dropped. VMs of the tenant placed later join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolate the &amp;selected VMs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only these VMs may talk to each other (and to their gateways); the rest is dropped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Allow into NIC %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Allow into %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A port and protocol from a source (any, a subnet, an address set) reach the VM despite its isolation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove the isolation of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security policy of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The controller&apos;s rules that apply to each NIC, highest priority first: the first rule that matches a packet decides.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolate the selected VMs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the isolated group (letters, digits, dashes):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot isolate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One transaction writes these rows to the network controller. The rules follow the ports: they hold wherever the VMs run, during and after a migration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Isolate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow into %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One transaction adds this rule to the isolation group %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+ ACL %1 · priority %2 · %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot remove the isolation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the isolation of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One transaction deletes the group; its rules go with it and its VMs are no longer isolated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the rule “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rule of the isolation %1 that applies to all its members.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rule added into this NIC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot remove the rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove a rule of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One transaction takes this rule out of the isolation group %1; the isolation stays.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::PolicyModel</name>
    <message>
        <source>Vigie</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>…and %n more</source>
        <translation>
            <numerusform>…and %n more</numerusform>
            <numerusform>…and %n more</numerusform>
        </translation>
    </message>
    <message>
        <source>switch %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n port(s)</source>
        <translation>
            <numerusform>%n port</numerusform>
            <numerusform>%n ports</numerusform>
        </translation>
    </message>
    <message>
        <source>%1
%2 · priority %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group / rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner / action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ports / priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members / match</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::PortAddressing</name>
    <message>
        <source>The network controller is not connected (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The NIC %1 has no port in the network controller: its address is libvirt&apos;s or the guest&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port %1 has no MAC address in the controller (addresses “%2”): set one there first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The switch of this NIC has no subnet in the controller (other_config:subnet or DHCP options): there is no address to give.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign address to NIC %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port %1 has the address %2; the guest takes it at its next DHCP exchange.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port %1 has the address %2 (was %3); the guest takes it at its next DHCP renewal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port security on NIC %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port %1 has no IP address: assign one first, port security then follows it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port %1 now lets through only %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The controller refused: %1. Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::PortIsolation</name>
    <message>
        <source>%1 (%2): its port is %3&apos;s; its security groups are set there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): its port has no IP address in the controller, so the group&apos;s members cannot reach it; assign one (VM › IP address).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network controller is not connected (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An isolation needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None of these VMs has a port in the network controller that Vigie may put in a group: their NICs are wired by libvirt, or their ports are another system&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port group %1 already exists: remove that isolation first, or choose another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This port group no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port group %1 is not an isolation Vigie made: change it where it was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>+ port group %1 (%n port(s): %2)</source>
        <translation>
            <numerusform>+ port group %1 (%n port: %2)</numerusform>
            <numerusform>+ port group %1 (%n ports: %2)</numerusform>
        </translation>
    </message>
    <message>
        <source>+ ACL %1 · priority %2 · %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  VMs of %1 placed later join the group.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  Note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>- port group %1 (%n port(s))</source>
        <translation>
            <numerusform>- port group %1 (%n port)</numerusform>
            <numerusform>- port group %1 (%n ports)</numerusform>
        </translation>
    </message>
    <message>
        <source>- ACL %1 · priority %2 · %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This NIC is not in an isolation Vigie made: nothing stops traffic to it, there is nothing to allow.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The protocol is tcp, udp or icmp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A port is between 1 and 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An address set is written $name (letters, digits, underscores).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The controller has no address set %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not an IPv4 address or subnet (10.0.0.0/24), “any” or an address set ($name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow into port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: %1 (rule of %2, port %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Controller: port group %1 isolates %n port(s); traffic from outside the group is dropped.</source>
        <translation>
            <numerusform>Controller: port group %1 isolates %n port; traffic from outside the group is dropped.</numerusform>
            <numerusform>Controller: port group %1 isolates %n ports; traffic from outside the group is dropped.</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove isolation of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port group %1 and its rules removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The controller refused: %1. Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This rule is no longer one of the group %1&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port group %1 is not an isolation Vigie made: change its rules where it was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This rule is part of the isolation itself: without it the group would not be isolated, or its members could not talk to each other. Remove the whole isolation instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove a rule of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: rule removed from %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This port no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port %1 is in %2 already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put port %1 into isolation %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controller: port %1 is in %2; the tenant&apos;s rules apply to it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::Preflight</name>
    <message>
        <source>Unknown host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not connected (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is in maintenance: nothing new is placed there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not enough free memory on %1: %2 free, %3 needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1 (%2) is not available on %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VM is no longer in the inventory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already runs on this host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (the source) is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo hosts and real hosts cannot exchange VMs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Different hypervisors: %1 here, %2 on %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CPU of %1 lacks features of the CPU of %2, which the running VM may use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CPU of %1 lacks features of the CPU of %2, which the running VM may use (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is managed by OpenStack Nova, which will still record it on %2: Nova&apos;s own actions on it then fail. To move it with OpenStack&apos;s knowledge: openstack server migrate --live-migration --host %3 %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n NIC(s) of %1 are ports of %2, which keeps them requested on the chassis of %3: Vigie does not rewrite its rows, so they carry no traffic on the destination until %2 binds them there.</source>
        <translation>
            <numerusform>%n NIC of %1 is a port of %2, which keeps it requested on the chassis of %3: Vigie does not rewrite its rows, so it carries no traffic on the destination until %2 binds it there.</numerusform>
            <numerusform>%n NICs of %1 are ports of %2, which keeps them requested on the chassis of %3: Vigie does not rewrite its rows, so they carry no traffic on the destination until %2 binds them there.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::PrometheusSource</name>
    <message>
        <source>Prometheus at %1 answered more than %2 MB: answer dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prometheus at %1 refused the credentials (HTTP %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prometheus at %1 did not answer within %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prometheus at %1 cannot be reached: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prometheus at %1 refused the query: %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prometheus at %1 answered HTTP %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prometheus at %1 answered something else than its API&apos;s JSON: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prometheus at %1 has no libvirt exporter series</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Prometheus at %1: %n host(s) matched</source>
        <translation>
            <numerusform>Prometheus at %1: %n host matched</numerusform>
            <numerusform>Prometheus at %1: %n hosts matched</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Prometheus at %1: %n host(s) matched; no node exporter matched, so the hosts&apos; CPU and memory are not shown</source>
        <translation>
            <numerusform>Prometheus at %1: %n host matched; no node exporter matched, so the hosts&apos; CPU and memory are not shown</numerusform>
            <numerusform>Prometheus at %1: %n hosts matched; no node exporter matched, so the hosts&apos; CPU and memory are not shown</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::QueryEdit</name>
    <message>
        <source>Left out of the search:
%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::QuotaBars</name>
    <message numerus="yes">
        <source>Quota of %1 (%n VM(s)):</source>
        <translation>
            <numerusform>Quota of %1 (%n VM):</numerusform>
            <numerusform>Quota of %1 (%n VMs):</numerusform>
        </translation>
    </message>
    <message>
        <source>vCPUs: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPUs: %1, no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory: %1, no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk: %1 GiB of %2 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk: %1 GiB, no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk: %1 GiB (existing volumes not counted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk: no limit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::QuotaDialog</name>
    <message>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant quotas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What each tenant may hold, over all its VMs, running or not. New VMs beyond it are refused by the placement pre-flight. Disk is checked for the new VM&apos;s disk only: libvirt&apos;s definitions do not give the existing volumes&apos; sizes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;vCPUs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disk:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::SavedSearches</name>
    <message>
        <source>Saved &amp;searches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the search “%1”:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save current search…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a search in the VM filter first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::SessionManager</name>
    <message>
        <source>Open demo datacenter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the demo datacenter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot connect to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is unreachable; Vigie keeps retrying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undefined on the host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No session for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move NIC %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not moved to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested: %1 in VLAN %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No network of %1 carries VLAN %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created and started in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not created: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No demo network controller: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is managed by OpenStack Nova, which owns its definition: Vigie does not write tags into it. Use Nova&apos;s server tags (openstack server set --tag).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics from Prometheus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No metrics from Prometheus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answering again: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prometheus at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: its post-copy migration failed; only resuming the migration brings it back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: it is in the post-copy phase of a migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Waiting: %n host(s) start connecting every %1 ms</source>
        <translation>
            <numerusform>Waiting: %n host starts connecting every %1 ms</numerusform>
            <numerusform>Waiting: %n hosts start connecting every %1 ms</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::SubnetDialog</name>
    <message>
        <source>OVN&apos;s &amp;DHCP answers the VMs of this VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addressing of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VLAN&apos;s IPv4 subnet (other_config:subnet): placement and address changes pick free addresses in it. The VMs&apos; addresses must stay inside it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, e.g. 10.50.0.2..10.50.0.9 10.50.0.20</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses never given to a VM (other_config:exclude_ips): single addresses and ranges written first..last, separated by spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A DHCP_Options row: OVN itself answers each VM&apos;s DHCP request with the address its port has, the gateway and DNS servers below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The default route the VMs get (options:router); OVN&apos;s DHCP answers from this address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, e.g. 10.10.0.53, 10.10.0.54</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS servers the VMs get (options:dns_server), separated by commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long a VM keeps its lease (options:lease_time); it renews at half of it, and takes changed options then. 86400 s (a day) is Neutron&apos;s default.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Subnet:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Excluded:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Gateway:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;NS servers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lease:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written to the network controller in one transaction, shown first. The VMs keep their addresses; they take the new options at their next DHCP renewal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Review…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::SubnetEditor</name>
    <message>
        <source>“%1” is neither an address nor a range (10.0.0.2..10.0.0.9).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The excluded %1 is outside the subnet %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message>
        <source>The network controller is not connected (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The logical switch no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The switch %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The DHCP options of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has an IPv6 subnet: Vigie shows it and edits IPv4 subnets only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OVN&apos;s DHCP serves a subnet: give one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigie edits IPv4 subnets only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a network address: did you mean %2?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n port(s) have addresses outside %1: %2. Give them addresses in the new subnet first, or choose a subnet that holds them.</source>
        <translation>
            <numerusform>%n port has addresses outside %1: %2. Give them addresses in the new subnet first, or choose a subnet that holds them.</numerusform>
            <numerusform>%n ports have addresses outside %1: %2. Give them addresses in the new subnet first, or choose a subnet that holds them.</numerusform>
        </translation>
    </message>
    <message>
        <source>Gateway: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS: “%1” is not an IPv4 address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OVN&apos;s DHCP answers from an address of the subnet: give the gateway (the DHCP server uses its address).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lease lasts from 1 s to %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These DHCP options also serve %1: change them there, or keep them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>subnet %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>excluded %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>~ switch %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+ DHCP options %1 · gateway %2 · DNS %3 · lease %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gateway %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lease %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>~ DHCP options · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>- DHCP options %1: the VMs of this VLAN get no DHCP answer any more; each keeps its address until its lease ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>~ port %1 (%2) · served by these DHCP options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  The guests take the new options at their next renewal: within half their lease (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addressing of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no subnet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, gateway %2, DHCP lease %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, no DHCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The controller refused: %1. Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TagActions</name>
    <message>
        <source>&amp;Tags…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add or remove tags on the selected VMs (kept in each domain&apos;s metadata)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags of %1 not changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>OpenStack Nova manages %n of the selected VMs: Nova owns their definition and Vigie does not write tags into it. Use Nova&apos;s server tags (openstack server set --tag).</source>
        <translation>
            <numerusform>OpenStack Nova manages the selected VM: Nova owns its definition and Vigie does not write tags into it. Use Nova&apos;s server tags (openstack server set --tag).</numerusform>
            <numerusform>OpenStack Nova manages the %n selected VMs: Nova owns their definition and Vigie does not write tags into it. Use Nova&apos;s server tags (openstack server set --tag).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::TagsDialog</name>
    <message numerus="yes">
        <source>Tags of %n VM(s)</source>
        <translation>
            <numerusform>Tags of %n VM</numerusform>
            <numerusform>Tags of %n VMs</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags of %1. Uncheck a tag to remove it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Tags of the %n selected VMs, with how many carry each. Uncheck a tag to remove it from all; check a partly carried one to add it to all.</source>
        <translation>
            <numerusform>Tags of the selected VM. Uncheck a tag to remove it.</numerusform>
            <numerusform>Tags of the %n selected VMs, with how many carry each. Uncheck a tag to remove it from all; check a partly carried one to add it to all.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tags yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>web, prod, pci-dss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Separate tags with spaces or commas; %1. Stored in lower case.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add tags:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left out, managed by OpenStack Nova (use Nova&apos;s server tags): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most %1 tags per VM.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TemplateDialog</name>
    <message>
        <source>VM template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for example Debian 12</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>v&amp;CPUs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System &amp;disk:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;OS label:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The disk is created empty (qcow2) in the host&apos;s storage pool.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the template a name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TemplateListModel</name>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2&lt;br&gt;Drag onto a host of the topology, then onto a VLAN.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TemplatePalette</name>
    <message>
        <source>Drag a template onto a host of the topology, then onto a VLAN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New template…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit template…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore the default templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag onto a host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the template %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace your templates with the default ones?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TenantQuotas</name>
    <message numerus="yes">
        <source>quota: %n vCPU(s) left of %1</source>
        <translation>
            <numerusform>quota: %n vCPU left of %1</numerusform>
            <numerusform>quota: %n vCPUs left of %1</numerusform>
        </translation>
    </message>
    <message>
        <source>quota: %1 of memory left of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quota: %1 GiB of disk left of %2 GiB</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TenantView</name>
    <message>
        <source>&amp;Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show one tenant&apos;s VMs, VLANs and share of the hosts, or every tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;All tenants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No VM names a tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quotas…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set what each tenant may hold: vCPUs, memory, disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — Vigie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigie — private cloud console (read-only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigie — private cloud console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every libvirt connection is read-only: the hypervisors refuse every change made through them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TopVmsModel</name>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TopologyDragController</name>
    <message>
        <source>New VM: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag onto a VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; on %2&lt;br&gt;%3&lt;br&gt;Drag onto a VLAN lane: the new VM&apos;s NIC joins it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is an overlay network: Vigie moves NICs between VLANs only. Attach the VM to it in the network controller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new VM already waits here: drag it onto a VLAN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop the template on a host first, then drag the new VM onto a VLAN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1 is not available on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A NIC goes to a VLAN: drag the VM itself to migrate it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>None of the %n VM(s) can go: %1</source>
        <translation>
            <numerusform>The VM cannot go: %1</numerusform>
            <numerusform>None of the %n VMs can go: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Already on this host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 VMs can go; %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag one VM at a time to move its NIC to another VLAN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This VM has no NIC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 is already in VLAN %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already in VLAN %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s)</source>
        <translation>
            <numerusform>%n VM</numerusform>
            <numerusform>%n VMs</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, NIC %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place on %1, then drag onto a VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place on %1 instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create in VLAN %1 (%2)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop on a host with room for it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop on a VLAN to create the VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrate to %1 now, with the last options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrate to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(score %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the NIC to VLAN %1 (%2)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move NIC %1 to VLAN %2 (%3)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop here to migrate to the best host, %1 (score %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop on a host to migrate, on a VLAN to move the NIC</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TopologyLegend</name>
    <message>
        <source>VMs coloured by tenant; an outline and a corner in a group&apos;s colour: isolated by Vigie.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenants</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>+%n more</source>
        <translation>
            <numerusform>+%n more</numerusform>
            <numerusform>+%n more</numerusform>
        </translation>
    </message>
    <message>
        <source>(no tenant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>isolated group</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TopologyScene</name>
    <message>
        <source>VLAN %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binding unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unbound: no network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bound to chassis %1, not its host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bound to chassis %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: port of %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overlay %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>policy: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::TopologyView</name>
    <message>
        <source>The topology is too large to draw as a picture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigie topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts, VMs and VLANs exported from Vigie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topology: drag a VM onto a host to migrate it, onto a VLAN to move its NIC. Ctrl+click or Ctrl+drag around VMs selects several. Wheel or + and - zoom, 0 is actual size, F fits.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::UsageDialog</name>
    <message>
        <source>Export &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;rices…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant / VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VMs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPU-h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory GiB-h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk GiB-h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU-h used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Net in GB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Net out GB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing the usage from the history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no tenant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No usage recorded in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s), %1 in all; computed in %2 ms on the history&apos;s thread. vCPUs and memory count while a VM runs, disks while it exists.</source>
        <translation>
            <numerusform>%n VM, %1 in all; computed in %2 ms on the history&apos;s thread. vCPUs and memory count while a VM runs, disks while it exists.</numerusform>
            <numerusform>%n VMs, %1 in all; computed in %2 ms on the history&apos;s thread. vCPUs and memory count while a VM runs, disks while it exists.</numerusform>
        </translation>
    </message>
    <message>
        <source>Usage — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the usage report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the usage as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::UsagePricesDialog</name>
    <message>
        <source>Usage prices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ISO 4217 code: EUR, USD, CHF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your organisation, as printed on reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Currency:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Issuer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per &amp;vCPU-hour:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per GiB-hour of &amp;memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per GiB-hour of &amp;disk:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per GB of &amp;network (in and out):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::UsageReportDocument</name>
    <message>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[Your organisation: set the issuer in Usage › Prices]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amounts in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPU-hour allocated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GiB-hour of memory allocated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GiB-hour of disk allocated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GB of network traffic (in and out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPUs and memory are billed while a VM runs, its disks while it exists (running or shut off). Figures come from Vigie&apos;s hourly history: an hour counts in the period it starts in; a VM that moved between hosts is counted once. Each amount is rounded half up to the cent per VM and resource; totals are the sums of the rounded amounts. 1 GB = 10^9 bytes, 1 GiB = 2^30 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VMs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPU-h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory GiB-h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk GiB-h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU-h used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Net in GB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Net out GB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no tenant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No usage recorded in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPU-hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory GiB-hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk GiB-hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network GB (in and out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Virtual machines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VlanDialog</name>
    <message>
        <source>New VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN &amp;id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Physical network:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creates a logical switch with a localnet port tagged with the VLAN id in the network controller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The localnet port needs the physical network&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VlanMoves</name>
    <message>
        <source>VLAN %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2, no VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to &amp;VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moves a NIC of the selected VM into another VLAN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIC %1 of %2 to VLAN %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no NIC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The NIC is already in this VLAN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1 is not available on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to VLAN %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which NIC of %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the NIC %1 of %2 into %3?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The running VM changes network at once: its connections in the old VLAN are cut.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VM is off: its definition changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The NIC&apos;s port moves in the network controller first, in one transaction; then libvirt follows. If libvirt fails, the port is moved back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the NIC %1 of %2 from %3 into %4?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VmAction</name>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reboot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VmDetailsPane</name>
    <message>
        <source>Select a VM or a host to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPUs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UUID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disks:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network interfaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>XML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Software:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VMs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPUs committed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory committed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (maximum %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2 (%3 MHz)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2, libvirt %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display</source>
        <extracomment>The tab of a VM&apos;s graphical console (its VNC display)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Managed by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigie does not rewrite the definition or tags of a VM another system manages, and that system does not learn of a migration made here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OpenStack Nova: change it through OpenStack</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) selected; the details below are those of %1.</source>
        <translation>
            <numerusform>%n VM selected; the details below are those of %1.</numerusform>
            <numerusform>%n VMs selected; the details below are those of %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>OS:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The guest OS its creator recorded (libosinfo metadata), not a check of what runs inside</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · demo host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At next boot:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved definition differs from the running VM: these changes take effect when it is shut down and started again (a reboot from inside the guest is not enough).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VmFilterBar</name>
    <message>
        <source>Filter VMs: words, or host: tenant: state: vlan: tag: mem&gt;8G vcpus&gt;=4 (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters the VM table and highlights the matching VMs in the topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only VMs in this state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n VM(s) shown</source>
        <translation>
            <numerusform>%1 of %n VM shown</numerusform>
            <numerusform>%1 of %n VMs shown</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::VmInfo</name>
    <message>
        <source>%1 is managed by OpenStack Nova: Vigie does not rewrite its definition behind Nova&apos;s back (Nova would undo it, or lose track of the VM). Change it through OpenStack.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VmQuery</name>
    <message>
        <source>The search is %1 characters long; at most %2 are read. Nothing is filtered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown field “%1” — fields: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only mem and vcpus compare with &lt;, &lt;=, &gt; or &gt;=</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>~ (regular expression) applies to name, title, host, tenant, vlan, tag and ip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad regular expression (%1 at character %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a size (examples: 512M, 8G, 1.5T; a bare number is GiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a number of vCPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown state — states: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words match name, title, host, tenant, state, VLAN, address and tags; all must match.
Fields: host:par-hv01 tenant:acme state:running vlan:200 tag:web ip:10.0.1 title:cache
Sizes and counts: mem&gt;8G mem&lt;=512M vcpus&gt;=4 (a bare size is GiB)
Regular expression: name~^web-[0-9]+$ · Quotes: tenant:&quot;banque lumière&quot;
Negation: -state:running or !tag:web</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VmSelection</name>
    <message>
        <source>%1 is hidden by the filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the filter to see it in the table.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VmState</name>
    <message>
        <source>No state</source>
        <extracomment>Virtual machine state: libvirt reports no state</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <extracomment>Virtual machine state</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocked</source>
        <extracomment>Virtual machine state: blocked on a resource</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <extracomment>Virtual machine state: paused by the user or libvirt</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutting down</source>
        <extracomment>Virtual machine state: the guest is shutting down</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut off</source>
        <extracomment>Virtual machine state: not running</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crashed</source>
        <extracomment>Virtual machine state</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspended</source>
        <extracomment>Virtual machine state: suspended by guest power management (pmsuspended)</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VmTableModel</name>
    <message>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 TiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (VLAN %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLANs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No CPU figures yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU over the last minute: mean %1, min %2, max %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stale since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (port %3 of %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No address known from the network controller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  policy: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (migrating)</source>
        <extracomment>VM state while a live migration moves it, e.g. &quot;Running (migrating)&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (migration failed: resume)</source>
        <extracomment>VM state: paused by a migration that did not complete; resuming it is the way back</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (post-copy failed, stalled on %2 too: resume the migration)</source>
        <extracomment>VM state: its migration failed after the switchover, e.g. &quot;Paused (post-copy failed, stalled on hv2 too: resume the migration)&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the destination</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VmTags</name>
    <message>
        <source>a tag cannot be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1…” is longer than %2 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a tag has 1 to %1 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VmTemplate</name>
    <message numerus="yes">
        <source>%n vCPU(s)</source>
        <translation>
            <numerusform>%n vCPU</numerusform>
            <numerusform>%n vCPUs</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appliance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network appliance</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VncKeys</name>
    <message>
        <source>Ctrl+Alt+Del</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Alt+Backspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Alt+F%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print Screen</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VncView</name>
    <message>
        <source>Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the display again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale to fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale the display to the view; unchecked, show it at its own size (1:1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a key combination this computer would keep for itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Type the clipboard&apos;s text into the VM, as if on its keyboard (at most %n characters)</source>
        <translation>
            <numerusform>Type the clipboard&apos;s text into the VM, as if on its keyboard (at most %n character)</numerusform>
            <numerusform>Type the clipboard&apos;s text into the VM, as if on its keyboard (at most %n characters)</numerusform>
        </translation>
    </message>
    <message>
        <source>Open in window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this display in a window of its own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Typing the clipboard: %p %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop typing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be sent: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard holds no text to type.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to type: the display is not connected, or the text has no character a keyboard types.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The clipboard holds %1 characters: only the first %n are typed.</source>
        <translation>
            <numerusform>The clipboard holds %1 characters: only the first %n is typed.</numerusform>
            <numerusform>The clipboard holds %1 characters: only the first %n are typed.</numerusform>
        </translation>
    </message>
    <message>
        <source>The display of %1 is open in its own window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The display of %1 opens when this tab is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a VM to see its display.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to the display of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display of %1 (%2, encrypted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display of %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The display of %1 closed (%2); reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not running: its display reconnects when it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The display of %1 is protected by a password (%2). Vigie asks for it each time and keeps it nowhere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The display of %1 could not be opened: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host of %1 is not connected: its display reconnects when the host is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo datacenter has no real VMs, so there is no display to open. Connect to a real host, or to the lab (scripts/vigie --lab), to use it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The display of %1 cannot be reached: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No display for %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard and mouse go to %1. Press Ctrl+Alt to release them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click the display to send keyboard and mouse to %1 (Ctrl+Alt releases them).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::VncWorker</name>
    <message>
        <source>the VM is not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the VM has no graphics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the VM&apos;s display is %1, not VNC: Vigie shows VNC displays only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>through libvirt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the display cannot be reached: libvirt cannot hand it over (%1) and it listens on no TCP port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the display listens on a unix socket of the host, and libvirt cannot hand it over (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect to the display at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the display refused the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the display asks for a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the display refused the password (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the display closed during the handshake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the display closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the display refused the password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the display wants VeNCrypt with certificates and no CA was found to check its certificate: put the CA of the host&apos;s VNC certificates in ~/.pki/CA/cacert.pem or /etc/pki/CA/cacert.pem, where libvirt&apos;s VNC clients look for it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (its certificate checked against the CA in %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vigie::XmlDiffDialog</name>
    <message>
        <source>Apply the new definition of %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) added</source>
        <translation>
            <numerusform>%n line added</numerusform>
            <numerusform>%n lines added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) removed</source>
        <translation>
            <numerusform>%n line removed</numerusform>
            <numerusform>%n lines removed</numerusform>
        </translation>
    </message>
    <message>
        <source>libvirt checks the definition before saving it; a running VM takes most changes at its next boot.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VlanLaneItem</name>
    <message>
        <source>VLAN %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) with a NIC here</source>
        <translation>
            <numerusform>%n VM with a NIC here</numerusform>
            <numerusform>%n VMs with a NIC here</numerusform>
        </translation>
    </message>
    <message>
        <source>Carried by %1 of %2 hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Networks: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop a VM here to move its NIC into this VLAN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s)</source>
        <translation>
            <numerusform>%n VM</numerusform>
            <numerusform>%n VMs</numerusform>
        </translation>
    </message>
    <message>
        <source>Overlay network %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A logical switch of the network controller without a VLAN: its traffic is tunnelled (Geneve) between the hosts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subnet: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlay · %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VmChipItem</name>
    <message>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n vCPU(s), %1</source>
        <translation>
            <numerusform>%n vCPU, %1</numerusform>
            <numerusform>%n vCPUs, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Tenant: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLANs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 vCPU · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>→ %1 %2 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>← arriving from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag onto a host to migrate, onto a VLAN lane to move its NIC; drag a NIC&apos;s badge to move that NIC alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolated: only the members of %1 reach it (group %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
