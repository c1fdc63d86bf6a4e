<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>ArrivalGhostItem</name>
    <message>
        <source>arriving from %1: %2 %</source>
        <extracomment>Tooltip of a VM drawn on the destination host of its live migration. %1: the source host, %2: the job&apos;s percentage.</extracomment>
        <translation>arrive de %1&#xa0;: %2&#xa0;%</translation>
    </message>
    <message>
        <source>%1 %</source>
        <extracomment>Percentage of a migration drawn on its destination host.</extracomment>
        <translation>%1&#xa0;%</translation>
    </message>
    <message>
        <source>← from %1</source>
        <extracomment>Second line of a VM drawn on the destination host of its live migration. %1: the source host.</extracomment>
        <translation>← de %1</translation>
    </message>
</context>
<context>
    <name>HostItem</name>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>vCPUs committed: %1 of %2 (%3 %)</source>
        <translation>vCPU engagés&#xa0;: %1 sur %2 (%3&#xa0;%)</translation>
    </message>
    <message>
        <source>Memory committed: %1 of %2 (%3 %)</source>
        <translation>Mémoire engagée&#xa0;: %1 sur %2 (%3&#xa0;%)</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s)</source>
        <translation>
            <numerusform>%n VM</numerusform>
            <numerusform>%n VM</numerusform>
        </translation>
    </message>
    <message>
        <source>In maintenance: nothing new is placed here.</source>
        <translation>En maintenance&#xa0;: rien de nouveau n&apos;y est placé.</translation>
    </message>
    <message>
        <source>%1 · %2 CPUs · %3</source>
        <translation>%1 · %2 CPU · %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>In maintenance</source>
        <translation>En maintenance</translation>
    </message>
    <message>
        <source>vCPU %1 / %2</source>
        <translation>vCPU %1 / %2</translation>
    </message>
    <message>
        <source>vCPU —</source>
        <translation>vCPU —</translation>
    </message>
    <message>
        <source>Memory %1 / %2</source>
        <translation>Mémoire %1 / %2</translation>
    </message>
    <message>
        <source>Memory —</source>
        <translation>Mémoire —</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>Démo</translation>
    </message>
    <message>
        <source>%1 · in maintenance</source>
        <translation>%1 · en maintenance</translation>
    </message>
    <message>
        <source>%1 · %2 running</source>
        <translation>%1 · %2 en marche</translation>
    </message>
</context>
<context>
    <name>RatingBadgeItem</name>
    <message>
        <source>★ %1 · best</source>
        <extracomment>Placement score of a host while dragging VMs (out of 100); the best host&apos;s says so</extracomment>
        <translation>★ %1 · meilleur</translation>
    </message>
    <message>
        <source>%1 / 100</source>
        <translation>%1 / 100</translation>
    </message>
</context>
<context>
    <name>SubnetPlan</name>
    <message>
        <source>The switch has no subnet.</source>
        <translation>Le commutateur n’a pas de sous-réseau.</translation>
    </message>
    <message>
        <source>“%1” is not a subnet.</source>
        <translation>« %1 » n’est pas un sous-réseau.</translation>
    </message>
    <message>
        <source>The subnet %1 has no room for a port.</source>
        <translation>Le sous-réseau %1 n’a pas de place pour un port.</translation>
    </message>
    <message>
        <source>Type an address.</source>
        <translation>Saisissez une adresse.</translation>
    </message>
    <message>
        <source>“%1” is not an IPv6 address.</source>
        <translation>« %1 » n’est pas une adresse IPv6.</translation>
    </message>
    <message>
        <source>“%1” is not an IPv4 address.</source>
        <translation>« %1 » n’est pas une adresse IPv4.</translation>
    </message>
    <message>
        <source>%1 is outside the subnet %2.</source>
        <translation>%1 est hors du sous-réseau %2.</translation>
    </message>
    <message>
        <source>%1 is the subnet&apos;s own address.</source>
        <translation>%1 est l’adresse du sous-réseau lui-même.</translation>
    </message>
    <message>
        <source>%1 is the subnet&apos;s broadcast address.</source>
        <translation>%1 est l’adresse de diffusion du sous-réseau.</translation>
    </message>
    <message>
        <source>%1 is the gateway.</source>
        <translation>%1 est la passerelle.</translation>
    </message>
    <message>
        <source>%1 is reserved (the DHCP server).</source>
        <translation>%1 est réservée (le serveur DHCP).</translation>
    </message>
    <message>
        <source>%1 is excluded from the switch&apos;s addresses (exclude_ips).</source>
        <translation>%1 est exclue des adresses du commutateur (exclude_ips).</translation>
    </message>
    <message>
        <source>%1 is in use by port %2.</source>
        <translation>%1 est utilisée par le port %2.</translation>
    </message>
</context>
<context>
    <name>Vigie</name>
    <message>
        <source>The domain XML is too large.</source>
        <translation>Le XML du domaine est trop volumineux.</translation>
    </message>
    <message>
        <source>%1 is not a VLAN id (0 to 4095).</source>
        <translation>%1 n’est pas un numéro de VLAN (0 à 4095).</translation>
    </message>
    <message>
        <source>The domain XML holds a DTD or an entity.</source>
        <translation>Le XML du domaine contient une DTD ou une entité.</translation>
    </message>
    <message>
        <source>The domain XML is nested too deeply.</source>
        <translation>Le XML du domaine est imbriqué trop profondément.</translation>
    </message>
    <message>
        <source>The domain XML is malformed: %1</source>
        <translation>Le XML du domaine est mal formé : %1</translation>
    </message>
    <message>
        <source>The VM has no NIC with MAC address %1.</source>
        <translation>La VM n’a pas de carte réseau d’adresse MAC %1.</translation>
    </message>
</context>
<context>
    <name>Vigie::AccessPolicy</name>
    <message>
        <source>read-only connection: the hypervisor refuses every change through it</source>
        <translation>connexion en lecture seule : l&apos;hyperviseur refuse toute modification par elle</translation>
    </message>
</context>
<context>
    <name>Vigie::AclText</name>
    <message>
        <source>any</source>
        <translation>n’importe qui</translation>
    </message>
    <message>
        <source>the isolated group %1</source>
        <translation>le groupe isolé %1</translation>
    </message>
    <message>
        <source>the members of %1</source>
        <translation>les membres de %1</translation>
    </message>
    <message>
        <source>address set %1</source>
        <translation>l’ensemble d’adresses %1</translation>
    </message>
    <message>
        <source>allow</source>
        <translation>autoriser</translation>
    </message>
    <message>
        <source>allow (stateless)</source>
        <translation>autoriser (sans état)</translation>
    </message>
    <message>
        <source>drop</source>
        <translation>rejeter en silence</translation>
    </message>
    <message>
        <source>reject</source>
        <translation>refuser</translation>
    </message>
    <message>
        <source>pass on</source>
        <translation>passer au niveau suivant</translation>
    </message>
    <message>
        <source>IPv4</source>
        <translation>IPv4</translation>
    </message>
    <message>
        <source>IPv6</source>
        <translation>IPv6</translation>
    </message>
    <message>
        <source>IP</source>
        <translation>IP</translation>
    </message>
    <message>
        <source>in</source>
        <translation>entrant</translation>
    </message>
    <message>
        <source>out</source>
        <translation>sortant</translation>
    </message>
    <message>
        <source>DHCP requests</source>
        <translation>les requêtes DHCP</translation>
    </message>
    <message>
        <source>all %1</source>
        <translation>tout %1</translation>
    </message>
    <message>
        <source>from port %1</source>
        <translation>depuis le port %1</translation>
    </message>
    <message>
        <source>ping (ICMP echo)</source>
        <translation>le ping (écho ICMP)</translation>
    </message>
    <message>
        <source>ICMP</source>
        <translation>ICMP</translation>
    </message>
    <message>
        <source>ICMP type %1</source>
        <translation>ICMP de type %1</translation>
    </message>
    <message>
        <source>IP protocol %1</source>
        <translation>le protocole IP %1</translation>
    </message>
    <message>
        <source>%1 everything else</source>
        <translation>%1 tout le reste</translation>
    </message>
    <message>
        <source>everything</source>
        <translation>tout</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>depuis %1</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>vers %1</translation>
    </message>
    <message>
        <source>where %1</source>
        <translation>si %1</translation>
    </message>
</context>
<context>
    <name>Vigie::AddressActions</name>
    <message>
        <source>IP &amp;address</source>
        <translation>&amp;Adresse IP</translation>
    </message>
    <message>
        <source>Assigns the IP address of a NIC that the network controller wires.</source>
        <translation>Attribue l’adresse IP d’une carte réseau câblée par le contrôleur réseau.</translation>
    </message>
    <message>
        <source>Address of %1, NIC %2 not changed</source>
        <translation>Adresse de %1, carte %2 inchangée</translation>
    </message>
    <message>
        <source>Select one VM</source>
        <translation>Sélectionnez une seule VM</translation>
    </message>
    <message>
        <source>%1 has no NIC</source>
        <translation>%1 n’a pas de carte réseau</translation>
    </message>
    <message>
        <source>NIC %1</source>
        <translation>Carte réseau %1</translation>
    </message>
    <message>
        <source>NIC %1 (%2)</source>
        <translation>Carte %1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Assign an address…</source>
        <translation>&amp;Attribuer une adresse…</translation>
    </message>
    <message>
        <source>&amp;Change the address…</source>
        <translation>&amp;Changer l’adresse…</translation>
    </message>
    <message>
        <source>Turn &amp;port security on</source>
        <translation>Activer la sécurité de &amp;port</translation>
    </message>
    <message>
        <source>Port security is on.</source>
        <translation>La sécurité de port est active.</translation>
    </message>
    <message>
        <source>Assign an address first.</source>
        <translation>Attribuez d’abord une adresse.</translation>
    </message>
    <message>
        <source>The VM may then send only from its own MAC and address.</source>
        <translation>La VM ne pourra alors émettre que depuis sa propre adresse MAC et IP.</translation>
    </message>
    <message>
        <source>Cannot assign an address</source>
        <translation>Impossible d’attribuer une adresse</translation>
    </message>
    <message>
        <source>Port security</source>
        <translation>Sécurité de port</translation>
    </message>
    <message>
        <source>Let NIC %1 of %2 send only from its own MAC and %3?</source>
        <translation>N’autoriser la carte %1 de %2 à émettre que depuis sa propre MAC et %3 ?</translation>
    </message>
    <message>
        <source>Traffic the guest sends from any other address is dropped by the controller.</source>
        <translation>Le trafic que l’invité émet depuis toute autre adresse est rejeté par le contrôleur.</translation>
    </message>
    <message>
        <source>&amp;Turn on</source>
        <translation>&amp;Activer</translation>
    </message>
    <message>
        <source>Addressing of %1 changed</source>
        <translation>Adressage de %1 modifié</translation>
    </message>
    <message>
        <source>The VMs take the new options at their next DHCP renewal.</source>
        <translation>Les VM prennent les nouvelles options à leur prochain renouvellement DHCP.</translation>
    </message>
    <message>
        <source>Addressing of %1 not changed</source>
        <translation>Adressage de %1 non modifié</translation>
    </message>
    <message>
        <source>Cannot edit the addressing</source>
        <translation>Impossible de modifier l&apos;adressage</translation>
    </message>
    <message>
        <source>Addressing of %1</source>
        <translation>Adressage de %1</translation>
    </message>
    <message>
        <source>One transaction writes these rows to the network controller; it fails, changing nothing, if they changed meanwhile.</source>
        <translation>Une seule transaction écrit ces lignes dans le contrôleur réseau ; elle échoue, sans rien changer, si elles ont changé entre-temps.</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Appliquer</translation>
    </message>
</context>
<context>
    <name>Vigie::AddressDialog</name>
    <message>
        <source>IP address of %1</source>
        <translation>Adresse IP de %1</translation>
    </message>
    <message>
        <source>NIC:</source>
        <translation>Carte :</translation>
    </message>
    <message>
        <source>%1, port %2</source>
        <translation>%1, port %2</translation>
    </message>
    <message>
        <source>, gateway %1</source>
        <translation>, passerelle %1</translation>
    </message>
    <message numerus="yes">
        <source>, %n address(es) free</source>
        <translation>
            <numerusform>, %n adresse libre</numerusform>
            <numerusform>, %n adresses libres</numerusform>
        </translation>
    </message>
    <message>
        <source>Switch:</source>
        <translation>Commutateur :</translation>
    </message>
    <message>
        <source>Subnet:</source>
        <translation>Sous-réseau :</translation>
    </message>
    <message>
        <source>Now:</source>
        <translation>Actuelle :</translation>
    </message>
    <message>
        <source>no address</source>
        <translation>aucune adresse</translation>
    </message>
    <message>
        <source>An address of the subnet that is free: not the gateway, not excluded, not another port&apos;s</source>
        <translation>Une adresse libre du sous-réseau : ni la passerelle, ni exclue, ni celle d’un autre port</translation>
    </message>
    <message>
        <source>&amp;Free one</source>
        <translation>Une &amp;libre</translation>
    </message>
    <message>
        <source>The first free address of the subnet</source>
        <translation>La première adresse libre du sous-réseau</translation>
    </message>
    <message>
        <source>&amp;New address:</source>
        <translation>&amp;Nouvelle adresse :</translation>
    </message>
    <message>
        <source>The port&apos;s addresses and port security change together in the network controller, in one transaction that fails if someone else changed the port meanwhile. The guest takes the new address from the controller&apos;s DHCP at its next renewal.</source>
        <translation>Les adresses et la sécurité du port changent ensemble dans le contrôleur réseau, en une transaction qui échoue si quelqu’un d’autre a modifié le port entre-temps. L’invité prend la nouvelle adresse auprès du DHCP du contrôleur à son prochain renouvellement.</translation>
    </message>
    <message>
        <source>&amp;Assign</source>
        <translation>&amp;Attribuer</translation>
    </message>
    <message>
        <source>The subnet has no free address left.</source>
        <translation>Le sous-réseau n’a plus d’adresse libre.</translation>
    </message>
</context>
<context>
    <name>Vigie::AddressModel</name>
    <message>
        <source>Choose a VLAN.</source>
        <translation>Choisissez un VLAN.</translation>
    </message>
    <message>
        <source>This switch no longer exists.</source>
        <translation>Ce commutateur n’existe plus.</translation>
    </message>
    <message>
        <source>The switch has no subnet.</source>
        <translation>Le commutateur n’a pas de sous-réseau.</translation>
    </message>
    <message>
        <source>Subnet %1</source>
        <translation>Sous-réseau %1</translation>
    </message>
    <message>
        <source>no gateway</source>
        <translation>pas de passerelle</translation>
    </message>
    <message>
        <source>gateway %1</source>
        <translation>passerelle %1</translation>
    </message>
    <message>
        <source>excluded %1</source>
        <translation>exclues %1</translation>
    </message>
    <message>
        <source>no DHCP options</source>
        <translation>pas d’options DHCP</translation>
    </message>
    <message>
        <source>DNS %1</source>
        <translation>DNS %1</translation>
    </message>
    <message>
        <source>lease %1 s</source>
        <translation>bail %1 s</translation>
    </message>
    <message numerus="yes">
        <source>%n used</source>
        <translation>
            <numerusform>%n utilisée</numerusform>
            <numerusform>%n utilisées</numerusform>
        </translation>
    </message>
    <message>
        <source>Vigie</source>
        <translation>Vigie</translation>
    </message>
    <message>
        <source>(%1 port)</source>
        <translation>(port %1)</translation>
    </message>
    <message numerus="yes">
        <source>%n free</source>
        <translation>
            <numerusform>%n libre</numerusform>
            <numerusform>%n libres</numerusform>
        </translation>
    </message>
    <message>
        <source>about 2^%1 free</source>
        <translation>environ 2^%1 libres</translation>
    </message>
    <message>
        <source>subnet (anycast)</source>
        <translation>sous-réseau (anycast)</translation>
    </message>
    <message>
        <source>network</source>
        <translation>réseau</translation>
    </message>
    <message>
        <source>broadcast</source>
        <translation>diffusion</translation>
    </message>
    <message>
        <source>gateway</source>
        <translation>passerelle</translation>
    </message>
    <message>
        <source>DHCP server</source>
        <translation>serveur DHCP</translation>
    </message>
    <message numerus="yes">
        <source>excluded (%n)</source>
        <translation>
            <numerusform>exclue (%n)</numerusform>
            <numerusform>exclues (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>used</source>
        <translation>utilisée</translation>
    </message>
    <message>
        <source>outside the subnet</source>
        <translation>hors du sous-réseau</translation>
    </message>
    <message>
        <source>%1: port %2 (%3)</source>
        <translation>%1&#xa0;: port %2 (%3)</translation>
    </message>
    <message>
        <source>%1: %2, NIC %3, port %4 (%5)</source>
        <translation>%1&#xa0;: %2, carte %3, port %4 (%5)</translation>
    </message>
    <message>
        <source>%1: excluded from the switch&apos;s addresses (other_config:exclude_ips); OVN&apos;s IPAM and Vigie give none of them.</source>
        <translation>%1&#xa0;: exclues des adresses du commutateur (other_config:exclude_ips)&#xa0;; ni l’IPAM d’OVN ni Vigie n’en attribuent.</translation>
    </message>
    <message>
        <source>%1: %2, none of them a port&apos;s, excluded or reserved.</source>
        <translation>%1&#xa0;: %2, aucune n’est à un port, exclue ni réservée.</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>NIC (MAC)</source>
        <translation>Carte (MAC)</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Propriétaire</translation>
    </message>
</context>
<context>
    <name>Vigie::AlarmModel</name>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <extracomment>Who acknowledged an alarm, and when: &quot;alice, 14:02&quot;</extracomment>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>VM or host</source>
        <translation>VM ou hôte</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Depuis</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Acquittée</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>Levée</translation>
    </message>
</context>
<context>
    <name>Vigie::AlarmMonitor</name>
    <message>
        <source>to %1: %2</source>
        <translation>vers %1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Vigie::AlarmRulesDialog</name>
    <message>
        <source>Desktop notification for each new critical alarm</source>
        <translation>Notification de bureau pour chaque nouvelle alarme critique</translation>
    </message>
    <message>
        <source>Alarm rules</source>
        <translation>Règles d&apos;alarme</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Règle</translation>
    </message>
    <message>
        <source>Raised above</source>
        <translation>Déclenchée au-dessus de</translation>
    </message>
    <message>
        <source>Cleared below</source>
        <translation>Levée en dessous de</translation>
    </message>
    <message>
        <source>For at least</source>
        <translation>Pendant au moins</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>A figure raises its alarm once it has stayed beyond the threshold for the time given, and clears it only once back beyond the clear level, so that a figure wavering around the threshold raises one alarm.</source>
        <translation>Une mesure déclenche son alarme après être restée au-delà du seuil pendant la durée donnée, et ne la lève qu&apos;une fois revenue en deçà du niveau de levée&#xa0;: une mesure qui oscille autour du seuil ne déclenche qu&apos;une alarme.</translation>
    </message>
    <message>
        <source> s</source>
        <comment>seconds</comment>
        <translation>&#xa0;s</translation>
    </message>
    <message>
        <source>when it happens</source>
        <extracomment>An event rule has no threshold: the cell says when it is raised</extracomment>
        <translation>dès qu&apos;il se produit</translation>
    </message>
</context>
<context>
    <name>Vigie::Alarms</name>
    <message>
        <source>Host unreachable</source>
        <translation>Hôte injoignable</translation>
    </message>
    <message>
        <source>Migration failed</source>
        <translation>Migration échouée</translation>
    </message>
    <message>
        <source>Network mismatch</source>
        <translation>Incohérence réseau</translation>
    </message>
    <message>
        <source>VM CPU</source>
        <translation>CPU de VM</translation>
    </message>
    <message>
        <source>VM memory</source>
        <translation>Mémoire de VM</translation>
    </message>
    <message>
        <source>VM disk throughput</source>
        <translation>Débit disque de VM</translation>
    </message>
    <message>
        <source>VM network throughput</source>
        <translation>Débit réseau de VM</translation>
    </message>
    <message>
        <source>VM figures stale</source>
        <translation>Mesures de VM périmées</translation>
    </message>
    <message>
        <source>Host CPU</source>
        <translation>CPU de l&apos;hôte</translation>
    </message>
    <message>
        <source>Host memory</source>
        <translation>Mémoire de l&apos;hôte</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>Critique</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Avertissement</translation>
    </message>
    <message>
        <source>MiB/s</source>
        <translation>Mio/s</translation>
    </message>
    <message>
        <source>s</source>
        <comment>seconds</comment>
        <translation>s</translation>
    </message>
</context>
<context>
    <name>Vigie::AlarmsPanel</name>
    <message>
        <source>Active</source>
        <translation>Actives</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Acquitter</translation>
    </message>
    <message>
        <source>Marks the selected alarms as seen, in your name</source>
        <translation>Marque les alarmes sélectionnées comme vues, en votre nom</translation>
    </message>
    <message>
        <source>Rules…</source>
        <translation>Règles…</translation>
    </message>
    <message>
        <source>Thresholds, durations and severities of the alarms; desktop notifications</source>
        <translation>Seuils, durées et gravités des alarmes&#xa0;; notifications de bureau</translation>
    </message>
    <message>
        <source>Active (%1)</source>
        <translation>Actives (%1)</translation>
    </message>
    <message>
        <source>No active alarm</source>
        <translation>Aucune alarme active</translation>
    </message>
    <message numerus="yes">
        <source>%n critical</source>
        <translation>
            <numerusform>%n critique</numerusform>
            <numerusform>%n critiques</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not acknowledged</source>
        <translation>
            <numerusform>%n non acquittée</numerusform>
            <numerusform>%n non acquittées</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::AlarmsUi</name>
    <message>
        <source>Alarms</source>
        <translation>Alarmes</translation>
    </message>
    <message>
        <source>Active alarms: click to show them</source>
        <translation>Alarmes actives&#xa0;: cliquez pour les afficher</translation>
    </message>
    <message>
        <source>Critical alarm on %1</source>
        <translation>Alarme critique sur %1</translation>
    </message>
    <message numerus="yes">
        <source>%n alarm(s), %1 critical</source>
        <translation>
            <numerusform>%n alarme (critique&#xa0;: %1)</numerusform>
            <numerusform>%n alarmes (critiques&#xa0;: %1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alarm(s)</source>
        <translation>
            <numerusform>%n alarme</numerusform>
            <numerusform>%n alarmes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::AllowRuleDialog</name>
    <message>
        <source>Allow into %1</source>
        <translation>Autoriser vers %1</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>UDP</source>
        <translation>UDP</translation>
    </message>
    <message>
        <source>Ping (ICMP echo)</source>
        <translation>Ping (écho ICMP)</translation>
    </message>
    <message>
        <source>any, a subnet (10.0.0.0/24), an address, or an address set ($name)</source>
        <translation>any, un sous-réseau (10.0.0.0/24), une adresse ou un ensemble d’adresses ($nom)</translation>
    </message>
    <message>
        <source>&amp;Protocol:</source>
        <translation>&amp;Protocole :</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort :</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Du&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Preview…</source>
        <translation>&amp;Aperçu…</translation>
    </message>
    <message>
        <source>The VM is isolated: only its group reaches it. This rule lets more in (stateful: the answers go out).</source>
        <translation>La VM est isolée : seul son groupe l’atteint. Cette règle laisse entrer davantage (avec état : les réponses sortent).</translation>
    </message>
</context>
<context>
    <name>Vigie::Application</name>
    <message>
        <source>migrating %1 from %2 to %3%4</source>
        <translation>migration de %1 de %2 vers %3%4</translation>
    </message>
    <message>
        <source> (simulated: demo hosts)</source>
        <translation> (simulée&#xa0;: hôtes de démo)</translation>
    </message>
    <message>
        <source>%1: %2, %3 % (%4 of %5 MiB)</source>
        <translation>%1&#xa0;: %2, %3&#xa0;% (%4 sur %5&#xa0;Mio)</translation>
    </message>
    <message>
        <source>%1 runs on %2</source>
        <translation>%1 tourne sur %2</translation>
    </message>
    <message>
        <source>cannot migrate %1 to %2: %3</source>
        <translation>impossible de migrer %1 vers %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>avertissement&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Vigie::BindingWatch</name>
    <message>
        <source>Port %1 bound on chassis %2, %3 s after the migration ended</source>
        <translation>Port %1 lié au châssis %2, %3 s après la fin de la migration</translation>
    </message>
    <message>
        <source>Port %1 still unbound %2 s after the migration: the VM has no network. Is ovn-controller running on the destination?</source>
        <translation>Port %1 toujours non lié %2 s après la migration : la VM n&apos;a pas de réseau. ovn-controller tourne-t-il sur la destination ?</translation>
    </message>
    <message>
        <source>Port %1 still bound on chassis %2 %3 s after the migration: its traffic goes there. Is ovn-controller running on the destination?</source>
        <translation>Port %1 toujours lié au châssis %2 %3 s après la migration : son trafic part là-bas. ovn-controller tourne-t-il sur la destination ?</translation>
    </message>
    <message>
        <source>Network follows migration</source>
        <translation>Le réseau suit la migration</translation>
    </message>
</context>
<context>
    <name>Vigie::ClusterSummaryBox</name>
    <message>
        <source>Fleet</source>
        <translation>Parc</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>Hôtes</translation>
    </message>
    <message>
        <source>Hosts connected, and those not answering or in maintenance</source>
        <translation>Hôtes connectés, et ceux qui ne répondent pas ou sont en maintenance</translation>
    </message>
    <message>
        <source>VMs</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>VMs running, paused and stopped</source>
        <translation>VM en marche, en pause et arrêtées</translation>
    </message>
    <message>
        <source>vCPUs</source>
        <translation>vCPU</translation>
    </message>
    <message>
        <source>vCPUs of the running VMs against the physical CPUs of the connected hosts</source>
        <translation>vCPU des VM en marche rapportés aux CPU physiques des hôtes connectés</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <source>Memory of the running VMs against the connected hosts&apos; memory</source>
        <translation>Mémoire des VM en marche rapportée à celle des hôtes connectés</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarmes</translation>
    </message>
    <message>
        <source>Active alarms</source>
        <translation>Alarmes actives</translation>
    </message>
    <message>
        <source>Open the Alarms dock</source>
        <translation>Ouvrir le panneau Alarmes</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n connected</source>
        <translation>
            <numerusform>%1 sur %n connecté</numerusform>
            <numerusform>%1 sur %n connectés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not answering</source>
        <translation>
            <numerusform>%n ne répond pas</numerusform>
            <numerusform>%n ne répondent pas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in maintenance</source>
        <translation>
            <numerusform>%n en maintenance</numerusform>
            <numerusform>%n en maintenance</numerusform>
        </translation>
    </message>
    <message>
        <source>all answering</source>
        <translation>tous répondent</translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n en marche</numerusform>
            <numerusform>%n en marche</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stopped</source>
        <translation>
            <numerusform>%n arrêtée</numerusform>
            <numerusform>%n arrêtées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n paused</source>
        <translation>
            <numerusform>%n en pause</numerusform>
            <numerusform>%n en pause</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n CPU(s)</source>
        <translation>
            <numerusform>%1 sur %n CPU</numerusform>
            <numerusform>%1 sur %n CPU</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 vCPU per CPU</source>
        <translation>%1 vCPU par CPU</translation>
    </message>
    <message>
        <source>no connected host</source>
        <translation>aucun hôte connecté</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>%1 % committed</source>
        <translation>%1&#xa0;% engagés</translation>
    </message>
    <message numerus="yes">
        <source>%n active</source>
        <translation>
            <numerusform>%n active</numerusform>
            <numerusform>%n actives</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n critical</source>
        <translation>
            <numerusform>%n critique</numerusform>
            <numerusform>%n critiques</numerusform>
        </translation>
    </message>
    <message>
        <source>warnings only</source>
        <translation>avertissements seulement</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
</context>
<context>
    <name>Vigie::CommandLine</name>
    <message>
        <source>Vigie: operator console for libvirt hypervisors and OVN networks.</source>
        <translation>Vigie&#xa0;: console opérateur pour hyperviseurs libvirt et réseaux OVN.</translation>
    </message>
    <message>
        <source>Prints the version and exits.</source>
        <translation>Affiche la version et quitte.</translation>
    </message>
    <message>
        <source>Opens the embedded demo datacenter (no daemon needed).</source>
        <translation>Ouvre le centre de données de démonstration intégré (aucun démon requis).</translation>
    </message>
    <message>
        <source>Connects to a libvirt URI (repeatable), e.g. qemu+ssh://root@hv1/system.</source>
        <translation>Se connecte à une URI libvirt (option répétable), p. ex. qemu+ssh://root@hv1/system.</translation>
    </message>
    <message>
        <source>Writes the inventory as JSON to FILE (- for standard output) once loaded, and exits; no window.</source>
        <translation>Écrit l&apos;inventaire au format JSON dans FILE (- pour la sortie standard) une fois chargé, puis quitte&#xa0;; sans fenêtre.</translation>
    </message>
    <message>
        <source>Renders the main window offscreen to a PNG once loaded, and exits.</source>
        <translation>Rend la fenêtre principale hors écran dans un PNG une fois l&apos;inventaire chargé, puis quitte.</translation>
    </message>
    <message>
        <source>Language of the interface: fr or en (default: the system&apos;s).</source>
        <translation>Langue de l&apos;interface&#xa0;: fr ou en (par défaut&#xa0;: celle du système).</translation>
    </message>
    <message>
        <source>Try &apos;vigie --help&apos;.</source>
        <translation>Essayez «&#xa0;vigie --help&#xa0;».</translation>
    </message>
    <message>
        <source>unexpected argument: %1</source>
        <translation>argument inattendu&#xa0;: %1</translation>
    </message>
    <message>
        <source>unknown language &apos;%1&apos;: use fr or en</source>
        <translation>langue inconnue «&#xa0;%1&#xa0;»&#xa0;: utilisez fr ou en</translation>
    </message>
    <message>
        <source>--timeout needs a positive number of seconds</source>
        <translation>--timeout attend un nombre de secondes positif</translation>
    </message>
    <message>
        <source>Connects to every host of the project&apos;s lab (scripts/lab up; directory from VIGIE_LAB_DIR, default /tmp/vigie-lab).</source>
        <translation>Se connecte à tous les hôtes du labo du projet (scripts/lab up ; répertoire pris dans VIGIE_LAB_DIR, /tmp/vigie-lab par défaut).</translation>
    </message>
    <message>
        <source>--dump-inventory needs --demo, --lab or --connect URI</source>
        <translation>--dump-inventory demande --demo, --lab ou --connect URI</translation>
    </message>
    <message>
        <source>Connects to the network controller, an OVN northbound database: tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH (repeatable: the remotes of one cluster).</source>
        <translation>Se connecte au contrôleur réseau, une base OVN northbound&#xa0;: tcp:HÔTE:PORT, ssl:HÔTE:PORT ou unix:CHEMIN (répétable&#xa0;: les membres d’un même cluster).</translation>
    </message>
    <message>
        <source>invalid controller remote &apos;%1&apos;: use tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH</source>
        <translation>adresse de contrôleur invalide «&#xa0;%1&#xa0;»&#xa0;: utilisez tcp:HÔTE:PORT, ssl:HÔTE:PORT ou unix:CHEMIN</translation>
    </message>
    <message>
        <source>Central view shown first: table or topology.</source>
        <translation>Vue centrale affichée d&apos;abord&#xa0;: table ou topology.</translation>
    </message>
    <message>
        <source>unknown view &apos;%1&apos;: use table or topology</source>
        <translation>vue inconnue «&#xa0;%1&#xa0;»&#xa0;: utiliser table ou topology</translation>
    </message>
    <message>
        <source>--migrate needs VM:HOST, for example web-1:lab-hv2</source>
        <translation>--migrate attend VM:HÔTE, par exemple web-1:lab-hv2</translation>
    </message>
    <message>
        <source>Also reads the controller&apos;s OVN southbound database (chassis, port bindings): tcp:HOST:6642, ssl:HOST:6642 or unix:PATH (repeatable).</source>
        <translation>Lit aussi la base OVN southbound du contrôleur (chassis, rattachements de ports)&#xa0;: tcp:HÔTE:6642, ssl:HÔTE:6642 ou unix:CHEMIN (répétable).</translation>
    </message>
    <message>
        <source>--southbound needs --controller (the northbound database)</source>
        <translation>--southbound demande --controller (la base northbound)</translation>
    </message>
    <message>
        <source>Seconds to wait for the inventory before --dump-inventory, --screenshot or --migrate, and for a migrated VM to show on its destination (default 60).</source>
        <translation>Délai d&apos;attente en secondes de l&apos;inventaire avant --dump-inventory, --screenshot ou --migrate, et de l’arrivée d’une VM migrée sur sa destination (60 par défaut).</translation>
    </message>
    <message>
        <source>Once connected, live-migrates the VM to the host (names as shown, or the host&apos;s URI) with the saved options, as a drag onto the host would; repeatable: the migrations run one after another. In the window they show in the migrations panel; with --screenshot, the picture is taken while the first runs.</source>
        <translation>Une fois connecté, migre à chaud la VM vers l’hôte (noms tels qu’affichés, ou l’URI de l’hôte) avec les options enregistrées, comme le ferait un glisser sur l’hôte&#xa0;; répétable&#xa0;: les migrations s’enchaînent l’une après l’autre. Dans la fenêtre, elles apparaissent dans le panneau des migrations&#xa0;; avec --screenshot, l’image est prise pendant la première.</translation>
    </message>
    <message>
        <source>No window: connects, runs the --migrate requests with their progress on standard error, writes --dump-inventory if asked, and exits: 0 when every VM runs on its destination, 1 with the reason otherwise.</source>
        <translation>Sans fenêtre&#xa0;: se connecte, exécute les demandes --migrate avec leur progression sur la sortie d’erreur, écrit --dump-inventory si demandé, puis quitte&#xa0;: 0 quand chaque VM tourne sur sa destination, 1 avec la raison sinon.</translation>
    </message>
    <message>
        <source>--no-window needs --migrate VM:HOST or --dump-inventory FILE</source>
        <translation>--no-window demande --migrate VM:HÔTE ou --dump-inventory FICHIER</translation>
    </message>
    <message>
        <source>--screenshot needs the window: leave out --no-window and --dump-inventory</source>
        <translation>--screenshot demande la fenêtre&#xa0;: retirez --no-window et --dump-inventory</translation>
    </message>
    <message>
        <source>--no-window needs --demo, --lab or --connect URI</source>
        <translation>--no-window demande --demo, --lab ou --connect URI</translation>
    </message>
    <message>
        <source>Size of the window in the --screenshot picture (default 1600x900; 1366x768 for a laptop).</source>
        <translation>Taille de la fenêtre dans l’image de --screenshot (1600x900 par défaut&#xa0;; 1366x768 pour un portable).</translation>
    </message>
    <message>
        <source>invalid --screenshot-size &apos;%1&apos;: use WIDTHxHEIGHT, e.g. 1366x768</source>
        <translation>--screenshot-size «&#xa0;%1&#xa0;» invalide&#xa0;: utilisez LARGEURxHAUTEUR, par exemple 1366x768</translation>
    </message>
    <message>
        <source>The metrics history database (SQLite) to use; by default history.sqlite in the user&apos;s data folder, and the demo&apos;s own demo-history.sqlite there with --demo.</source>
        <translation>La base de l’historique des métriques (SQLite) à utiliser ; par défaut history.sqlite dans le dossier de données de l’utilisateur, et celle propre à la démo, demo-history.sqlite, au même endroit avec --demo.</translation>
    </message>
    <message>
        <source>Time window of the charts: 1m, 10m, 1h, 24h, 7d, 30d or 1y (default: the last one chosen).</source>
        <translation>Période des graphiques&#xa0;: 1m, 10m, 1h, 24h, 7d, 30d ou 1y (par défaut&#xa0;: la dernière choisie).</translation>
    </message>
    <message>
        <source>unknown metrics window &apos;%1&apos;: use 1m, 10m, 1h, 24h, 7d, 30d or 1y</source>
        <translation>période de métriques inconnue « %1 »&#xa0;: utilisez 1m, 10m, 1h, 24h, 7d, 30d ou 1y</translation>
    </message>
    <message>
        <source>Open every libvirt connection read-only (the daemon&apos;s read-only socket): the hypervisors refuse every change, and Vigie offers none.</source>
        <translation>Ouvre toutes les connexions libvirt en lecture seule (la socket en lecture seule du démon) : les hyperviseurs refusent toute modification, et Vigie n&apos;en propose aucune.</translation>
    </message>
    <message>
        <source>Show only this tenant&apos;s VMs, the VLANs they use and their share of the hosts (View › Tenant).</source>
        <translation>N&apos;affiche que les VM de ce locataire, les VLAN qu&apos;elles utilisent et leur part des hôtes (Affichage › Locataire).</translation>
    </message>
    <message>
        <source>Bottom dock shown in front: log, migrations, dashboard or alarms.</source>
        <translation>Panneau du bas affiché au premier plan&#xa0;: log, migrations, dashboard ou alarms.</translation>
    </message>
    <message>
        <source>unknown dock &apos;%1&apos;: use log, migrations, dashboard or alarms</source>
        <translation>panneau inconnu «&#xa0;%1&#xa0;»&#xa0;: utilisez log, migrations, dashboard ou alarms</translation>
    </message>
    <message>
        <source>Writes the usage report (View › Usage) of --usage-period as PDF to FILE (as PNG: its first page) once loaded, and exits; with --tenant, that tenant&apos;s only.</source>
        <translation>Écrit le relevé de consommation (Affichage › Consommation) de --usage-period en PDF dans FILE (en PNG&#xa0;: sa première page) une fois chargé, puis quitte&#xa0;; avec --tenant, celui de ce locataire seulement.</translation>
    </message>
    <message>
        <source>Period of --usage-report: current (the month so far, default), previous or YYYY-MM.</source>
        <translation>Période de --usage-report&#xa0;: current (le mois en cours, par défaut), previous (le mois précédent) ou AAAA-MM.</translation>
    </message>
    <message>
        <source>invalid --usage-period &apos;%1&apos;: use current, previous or YYYY-MM</source>
        <translation>--usage-period «&#xa0;%1&#xa0;» invalide&#xa0;: utilisez current, previous ou AAAA-MM</translation>
    </message>
    <message>
        <source>Search typed in the VM filter at start (table and topology), e.g. &quot;tenant:acme mem&gt;4G -state:running&quot;.</source>
        <translation>Recherche saisie dans le filtre des VM au démarrage (table et topologie), par ex. &quot;tenant:acme mem&gt;4G -state:running&quot;.</translation>
    </message>
    <message>
        <source>Zoom of the topology at start: far (hosts as aggregates), mid (VMs without text), near (actual size) or fit (the whole topology, the default).</source>
        <translation>Zoom de la topologie au démarrage&#xa0;: far (les hôtes résumés), mid (les VM sans texte), near (taille réelle) ou fit (toute la topologie, par défaut).</translation>
    </message>
    <message>
        <source>Measure how long the window&apos;s event loop is kept busy (its stalls) and print the figures on exit.</source>
        <translation>Mesure combien de temps la boucle d&apos;événements de la fenêtre reste occupée (ses blocages) et en affiche les chiffres en sortant.</translation>
    </message>
    <message>
        <source>unknown topology zoom &apos;%1&apos;: use far, mid, near or fit</source>
        <translation>zoom de topologie inconnu «&#xa0;%1&#xa0;»&#xa0;: utilisez far, mid, near ou fit</translation>
    </message>
    <message>
        <source>Read the hosts&apos; metrics from this Prometheus server (scraping prometheus-libvirt-exporter) instead of polling them; credentials as https://user:password@host, a bearer token in VIGIE_PROMETHEUS_TOKEN. Not saved.</source>
        <translation>Lire les métriques des hôtes sur ce serveur Prometheus (qui collecte prometheus-libvirt-exporter) au lieu de les interroger&#xa0;; identifiants sous la forme https://utilisateur:mot-de-passe@hôte, jeton bearer dans VIGIE_PROMETHEUS_TOKEN. Non enregistré.</translation>
    </message>
    <message>
        <source>With --prometheus: the exporter target INSTANCE (host:port) measures the host of libvirt URI (repeatable).</source>
        <translation>Avec --prometheus&#xa0;: la cible d&apos;exporteur INSTANCE (hôte:port) mesure l&apos;hôte de l&apos;URI libvirt (répétable).</translation>
    </message>
    <message>
        <source>invalid --prometheus &apos;%1&apos;: use http(s)://host:port</source>
        <translation>--prometheus «&#xa0;%1&#xa0;» invalide&#xa0;: utilisez http(s)://hôte:port</translation>
    </message>
    <message>
        <source>Tab of the details pane shown first: overview, metrics, console, display or xml; or network (policy, addresses), the Network panel beside it (at its Policy or Addresses view).</source>
        <translation>Onglet du panneau de détails affiché d’abord&#xa0;: overview, metrics, console, display ou xml&#xa0;; ou network (policy, addresses), le panneau Réseau à côté (sur sa vue Politique ou Adresses).</translation>
    </message>
    <message>
        <source>What the topology&apos;s VM colours say: state (the default) or tenant (isolated groups outlined).</source>
        <translation>Ce que disent les couleurs des VM dans la topologie&#xa0;: state (l’état, par défaut) ou tenant (le locataire, groupes isolés cernés).</translation>
    </message>
    <message>
        <source>unknown details tab &apos;%1&apos;: use overview, metrics, console, display, xml, network, policy or addresses</source>
        <translation>onglet de détails inconnu «&#xa0;%1&#xa0;»&#xa0;: utilisez overview, metrics, console, display, xml, network, policy ou addresses</translation>
    </message>
    <message>
        <source>unknown topology colour &apos;%1&apos;: use state or tenant</source>
        <translation>couleur de topologie inconnue «&#xa0;%1&#xa0;»&#xa0;: utilisez state ou tenant</translation>
    </message>
</context>
<context>
    <name>Vigie::ConnectDialog</name>
    <message>
        <source>&amp;Read-only</source>
        <translation>&amp;Lecture seule</translation>
    </message>
    <message>
        <source>Connect to host</source>
        <translation>Se connecter à un hôte</translation>
    </message>
    <message>
        <source>libvirt &amp;URI (qemu:///system, qemu+ssh://user@host/system, qemu+tls://host/system, test:///path/node.xml):</source>
        <translation>&amp;URI libvirt (qemu:///system, qemu+ssh://user@host/system, qemu+tls://host/system, test:///path/node.xml)&#xa0;:</translation>
    </message>
    <message>
        <source>Open the connection read-only (the daemon&apos;s read-only socket): libvirt refuses every change made through it, and Vigie offers none. Remembered with the connection.</source>
        <translation>Ouvre la connexion en lecture seule (la socket en lecture seule du démon) : libvirt refuse toute modification faite par elle, et Vigie n&apos;en propose aucune. Mémorisé avec la connexion.</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <source>Vigie runs read-only (--read-only): every connection is.</source>
        <translation>Vigie tourne en lecture seule (--read-only) : toutes les connexions le sont.</translation>
    </message>
</context>
<context>
    <name>Vigie::ConnectionState</name>
    <message>
        <source>Disconnected</source>
        <translation>Déconnecté</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Connexion en cours</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Injoignable</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
</context>
<context>
    <name>Vigie::ConsoleSessionBase</name>
    <message>
        <source>the host is not connected</source>
        <translation>l’hôte n’est pas connecté</translation>
    </message>
</context>
<context>
    <name>Vigie::ConsoleView</name>
    <message>
        <source>Reconnect</source>
        <translation>Reconnecter</translation>
    </message>
    <message>
        <source>Open the console again, without ending another client&apos;s session</source>
        <translation>Rouvrir la console, sans mettre fin à la session d’un autre client</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>Prendre la main</translation>
    </message>
    <message>
        <source>End the other client&apos;s console session and open it here</source>
        <translation>Mettre fin à la session console de l’autre client et l’ouvrir ici</translation>
    </message>
    <message>
        <source>Open in window</source>
        <translation>Ouvrir dans une fenêtre</translation>
    </message>
    <message>
        <source>Show this console in a window of its own</source>
        <translation>Afficher cette console dans sa propre fenêtre</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Coller</translation>
    </message>
    <message>
        <source>Find…</source>
        <translation>Rechercher…</translation>
    </message>
    <message>
        <source>Clear scrollback</source>
        <translation>Effacer l’historique</translation>
    </message>
    <message>
        <source>The console of %1 is open in its own window.</source>
        <translation>La console de %1 est ouverte dans sa propre fenêtre.</translation>
    </message>
    <message>
        <source>The console of %1 opens when this tab is shown.</source>
        <translation>La console de %1 s’ouvre quand cet onglet est affiché.</translation>
    </message>
    <message>
        <source>Select a VM to see its serial console.</source>
        <translation>Sélectionnez une VM pour voir sa console série.</translation>
    </message>
    <message>
        <source>Connecting to the serial console of %1…</source>
        <translation>Connexion à la console série de %1…</translation>
    </message>
    <message>
        <source>Serial console of %1. Copy: Ctrl+Shift+C, paste: Ctrl+Shift+V.</source>
        <translation>Console série de %1. Copier&#xa0;: Ctrl+Maj+C, coller&#xa0;: Ctrl+Maj+V.</translation>
    </message>
    <message>
        <source>The console of %1 closed (%2); reconnecting…</source>
        <translation>La console de %1 s’est fermée (%2)&#xa0;; reconnexion…</translation>
    </message>
    <message>
        <source>%1 is not running: its console reconnects when it starts.</source>
        <translation>%1 n’est pas en marche&#xa0;: sa console se reconnecte à son démarrage.</translation>
    </message>
    <message>
        <source>Another client holds the console of %1 (virsh console, virt-manager, another Vigie). Take over ends that client&apos;s session.</source>
        <translation>Un autre client tient la console de %1 (virsh console, virt-manager, un autre Vigie). «&#xa0;Prendre la main&#xa0;» met fin à la session de ce client.</translation>
    </message>
    <message>
        <source>The host of %1 is not connected: its console reconnects when the host is back.</source>
        <translation>L’hôte de %1 n’est pas connecté&#xa0;: sa console se reconnecte quand l’hôte revient.</translation>
    </message>
    <message>
        <source>The demo datacenter has no real VMs, so there is no serial console to open. Connect to a real host, or to the lab (scripts/vigie --lab), to use it.</source>
        <translation>Le centre de données de démonstration n’a pas de vraies VM, donc pas de console série à ouvrir. Connectez-vous à un vrai hôte, ou au labo (scripts/vigie --lab), pour l’utiliser.</translation>
    </message>
    <message>
        <source>This host&apos;s libvirt driver cannot open consoles: %1</source>
        <translation>Le pilote libvirt de cet hôte ne sait pas ouvrir de console&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 has no serial console that Vigie can open (it needs a serial port of type pty): %2</source>
        <translation>%1 n’a pas de console série que Vigie puisse ouvrir (il lui faut un port série de type pty)&#xa0;: %2</translation>
    </message>
    <message>
        <source>The console of %1 could not be opened: %2</source>
        <translation>La console de %1 n’a pas pu être ouverte&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Vigie::ConsoleWindows</name>
    <message>
        <source>%1 — serial console — Vigie</source>
        <translation>%1 — console série — Vigie</translation>
    </message>
    <message>
        <source>%1 — display — Vigie</source>
        <translation>%1 — affichage — Vigie</translation>
    </message>
</context>
<context>
    <name>Vigie::ConsoleWorker</name>
    <message>
        <source>the console closed</source>
        <translation>la console s’est fermée</translation>
    </message>
    <message>
        <source>the console&apos;s stream failed</source>
        <translation>le flux de la console a échoué</translation>
    </message>
</context>
<context>
    <name>Vigie::ControllerDialog</name>
    <message>
        <source>TLS (for ssl: remotes)</source>
        <translation>TLS (pour les adresses ssl:)</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Déconnecter</translation>
    </message>
    <message>
        <source>Connect to network controller</source>
        <translation>Connexion au contrôleur réseau</translation>
    </message>
    <message>
        <source>Vigie reads the OVN northbound database (logical switches and ports) and, when given, the southbound one (chassis and where each port is bound). Several remotes: the members of a cluster, separated by spaces.</source>
        <translation>Vigie lit la base northbound d&apos;OVN (commutateurs et ports logiques) et, si elle est donnée, la southbound (châssis et liaison de chaque port). Plusieurs adresses : les membres d&apos;un cluster, séparés par des espaces.</translation>
    </message>
    <message>
        <source>As ovn-nbctl&apos;s --db: tcp:HOST:6641, ssl:HOST:6641 or unix:PATH</source>
        <translation>Comme --db d&apos;ovn-nbctl : tcp:HÔTE:6641, ssl:HÔTE:6641 ou unix:CHEMIN</translation>
    </message>
    <message>
        <source>As ovn-sbctl&apos;s --db: tcp:HOST:6642, ssl:HOST:6642 or unix:PATH. Optional: without it Vigie cannot tell where ports are bound.</source>
        <translation>Comme --db d&apos;ovn-sbctl : tcp:HÔTE:6642, ssl:HÔTE:6642 ou unix:CHEMIN. Facultatif : sans elle, Vigie ne sait pas où les ports sont liés.</translation>
    </message>
    <message>
        <source>&amp;Northbound:</source>
        <translation>&amp;Northbound :</translation>
    </message>
    <message>
        <source>&amp;Southbound:</source>
        <translation>&amp;Southbound :</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation>Fichiers PEM (*.pem *.crt *.key);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>Certificat de l&apos;AC</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Certificat client</translation>
    </message>
    <message>
        <source>Private key</source>
        <translation>Clé privée</translation>
    </message>
    <message>
        <source>The CA that signed the databases&apos; certificates (ovn-nbctl&apos;s --ca-cert)</source>
        <translation>L&apos;AC qui a signé les certificats des bases (--ca-cert d&apos;ovn-nbctl)</translation>
    </message>
    <message>
        <source>Vigie&apos;s own certificate, when the databases ask for one (ovn-nbctl&apos;s --certificate)</source>
        <translation>Le certificat de Vigie, quand les bases en demandent un (--certificate d&apos;ovn-nbctl)</translation>
    </message>
    <message>
        <source>The key of that certificate (ovn-nbctl&apos;s --private-key). Only its path is remembered.</source>
        <translation>La clé de ce certificat (--private-key d&apos;ovn-nbctl). Seul son chemin est mémorisé.</translation>
    </message>
    <message>
        <source>&amp;CA certificate:</source>
        <translation>Certificat de l&apos;&amp;AC :</translation>
    </message>
    <message>
        <source>C&amp;ertificate:</source>
        <translation>C&amp;ertificat :</translation>
    </message>
    <message>
        <source>Private &amp;key:</source>
        <translation>Clé &amp;privée :</translation>
    </message>
    <message>
        <source>C&amp;onnect</source>
        <translation>C&amp;onnecter</translation>
    </message>
    <message>
        <source>Forget the controller: Vigie shows libvirt&apos;s network picture only</source>
        <translation>Oublier le contrôleur : Vigie ne montre plus que le réseau vu par libvirt</translation>
    </message>
    <message>
        <source>Choose the file</source>
        <translation>Choisir le fichier</translation>
    </message>
    <message>
        <source>Give the northbound database&apos;s remote.</source>
        <translation>Indiquez l&apos;adresse de la base northbound.</translation>
    </message>
</context>
<context>
    <name>Vigie::ControllerSettings</name>
    <message>
        <source>The %1 %2 does not exist.</source>
        <translation>%1 : %2 n&apos;existe pas.</translation>
    </message>
    <message>
        <source>The %1 %2 cannot be read.</source>
        <translation>%1 : %2 ne peut pas être lu.</translation>
    </message>
    <message>
        <source>%1 is not a remote: write tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH.</source>
        <translation>%1 n&apos;est pas une adresse : écrivez tcp:HÔTE:PORT, ssl:HÔTE:PORT ou unix:CHEMIN.</translation>
    </message>
    <message>
        <source>A southbound database needs its northbound database: give the northbound remote too.</source>
        <translation>Une base southbound a besoin de sa base northbound : indiquez aussi l&apos;adresse northbound.</translation>
    </message>
    <message>
        <source>ssl: remotes need the CA certificate that signed the databases&apos; certificates.</source>
        <translation>Les adresses ssl: demandent le certificat de l&apos;AC qui a signé les certificats des bases.</translation>
    </message>
    <message>
        <source>A client certificate needs its private key, and a private key its certificate.</source>
        <translation>Un certificat client demande sa clé privée, et une clé privée son certificat.</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>Certificat de l&apos;AC</translation>
    </message>
    <message>
        <source>certificate</source>
        <translation>Certificat</translation>
    </message>
    <message>
        <source>private key</source>
        <translation>Clé privée</translation>
    </message>
</context>
<context>
    <name>Vigie::ControllerUi</name>
    <message>
        <source>Untrusted controller certificate</source>
        <translation>Certificat du contrôleur non reconnu</translation>
    </message>
    <message>
        <source>The certificate of %1 failed verification.</source>
        <translation>La vérification du certificat de %1 a échoué.</translation>
    </message>
    <message>
        <source>Subject: %1
SHA-256: %2

%3

Trust it only if you checked this fingerprint with the controller&apos;s administrator. Otherwise give the right CA certificate in File › Connect to network controller….</source>
        <translation>Sujet : %1
SHA-256 : %2

%3

Ne lui faites confiance que si vous avez vérifié cette empreinte avec l&apos;administrateur du contrôleur. Sinon, indiquez le bon certificat d&apos;AC dans Fichier › Connexion au contrôleur réseau….</translation>
    </message>
    <message>
        <source>&amp;Trust this certificate</source>
        <translation>&amp;Faire confiance à ce certificat</translation>
    </message>
</context>
<context>
    <name>Vigie::CredentialsDialog</name>
    <message>
        <source>Authentication required</source>
        <translation>Authentification requise</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; asks for credentials. They are used for this connection only and never stored.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; demande des identifiants. Ils ne servent qu&apos;à cette connexion et ne sont jamais enregistrés.</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>Nom d&apos;utilisateur&#xa0;:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>Phrase secrète&#xa0;:</translation>
    </message>
    <message>
        <source>Answer:</source>
        <translation>Réponse&#xa0;:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>&amp;Remember the password in the desktop&apos;s keyring</source>
        <translation>&amp;Retenir le mot de passe dans le trousseau du bureau</translation>
    </message>
    <message>
        <source>Kept by the desktop&apos;s keyring (GNOME Keyring, KWallet, KeePassXC…), never in Vigie&apos;s settings; given to this host at the next connection without asking. Untick to forget it.</source>
        <translation>Gardé par le trousseau du bureau (GNOME Keyring, KWallet, KeePassXC…), jamais dans les réglages de Vigie&#xa0;; donné à cet hôte à la prochaine connexion sans le demander. Décochez pour l&apos;oublier.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; asks for credentials.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; demande des identifiants.</translation>
    </message>
</context>
<context>
    <name>Vigie::CredentialsUi</name>
    <message>
        <source>The password remembered in the desktop&apos;s keyring was refused: enter it again.</source>
        <translation>Le mot de passe retenu dans le trousseau du bureau a été refusé&#xa0;: saisissez-le de nouveau.</translation>
    </message>
    <message>
        <source>The desktop&apos;s keyring did not answer (%1): the password cannot be remembered.</source>
        <translation>Le trousseau du bureau n&apos;a pas répondu (%1)&#xa0;: le mot de passe ne peut pas être retenu.</translation>
    </message>
    <message>
        <source>Password not remembered</source>
        <translation>Mot de passe non retenu</translation>
    </message>
    <message>
        <source>The desktop&apos;s keyring did not keep the password of %1: %2. It is asked again at the next connection.</source>
        <translation>Le trousseau du bureau n&apos;a pas gardé le mot de passe de %1&#xa0;: %2. Il sera redemandé à la prochaine connexion.</translation>
    </message>
</context>
<context>
    <name>Vigie::DashboardPanel</name>
    <message>
        <source>Top CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Top memory (resident on the host)</source>
        <translation>Plus forte mémoire (résidente sur l’hôte)</translation>
    </message>
    <message>
        <source>Top disk (read + write)</source>
        <translation>Plus fort débit disque (lecture + écriture)</translation>
    </message>
    <message>
        <source>Top network (received + sent)</source>
        <translation>Plus fort débit réseau (reçu + envoyé)</translation>
    </message>
    <message>
        <source>Click a VM to select it</source>
        <translation>Cliquez sur une VM pour la sélectionner</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>Résidente</translation>
    </message>
    <message>
        <source>R + W</source>
        <translation>L + É</translation>
    </message>
    <message>
        <source>Rx + Tx</source>
        <translation>R + E</translation>
    </message>
    <message>
        <source>The VMs using the most CPU, of their vCPUs</source>
        <translation>Les VM qui utilisent le plus de CPU, sur leurs vCPU</translation>
    </message>
    <message>
        <source>Top memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <source>Top disk</source>
        <translation>Disque</translation>
    </message>
    <message>
        <source>Top network</source>
        <translation>Réseau</translation>
    </message>
</context>
<context>
    <name>Vigie::DemoDatacenter</name>
    <message>
        <source>cannot create a temporary directory: %1</source>
        <translation>impossible de créer un répertoire temporaire&#xa0;: %1</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>impossible d&apos;écrire %1</translation>
    </message>
    <message>
        <source>no demo host files in this build</source>
        <translation>aucun fichier d&apos;hôte de démo dans cette version</translation>
    </message>
</context>
<context>
    <name>Vigie::DomainXmlEditor</name>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Modifier</translation>
    </message>
    <message>
        <source>&amp;Apply…</source>
        <translation>&amp;Appliquer…</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>A&amp;bandonner</translation>
    </message>
    <message>
        <source>Edit the saved definition of this VM (Ctrl+E)</source>
        <translation>Modifier la définition enregistrée de cette VM (Ctrl+E)</translation>
    </message>
    <message>
        <source>Check the definition, show what changes, then save it (Ctrl+S)</source>
        <translation>Vérifier la définition, montrer ce qui change, puis l’enregistrer (Ctrl+S)</translation>
    </message>
    <message>
        <source>Drop your changes and show the live XML again</source>
        <translation>Abandonner vos modifications et réafficher le XML en cours</translation>
    </message>
    <message>
        <source>Unsaved changes to the saved definition</source>
        <translation>Modifications non enregistrées de la définition</translation>
    </message>
    <message>
        <source>&lt;!-- loading… --&gt;</source>
        <translation>&lt;!-- chargement… --&gt;</translation>
    </message>
    <message>
        <source>Loading the saved definition…</source>
        <translation>Chargement de la définition enregistrée…</translation>
    </message>
    <message>
        <source>&lt;!-- cannot read the domain XML: %1 --&gt;</source>
        <translation>&lt;!-- impossible de lire le XML du domaine : %1 --&gt;</translation>
    </message>
    <message>
        <source>Cannot read the saved definition: %1</source>
        <translation>Impossible de lire la définition enregistrée : %1</translation>
    </message>
    <message>
        <source>The definition is not valid domain XML: %1</source>
        <translation>La définition n’est pas un XML de domaine valide : %1</translation>
    </message>
    <message>
        <source>The &lt;uuid&gt; must stay %1: a different or missing UUID would define another VM.</source>
        <translation>L’élément &lt;uuid&gt; doit rester %1 : un UUID différent ou absent définirait une autre VM.</translation>
    </message>
    <message>
        <source>The &lt;name&gt; must stay %1: libvirt renames a VM only when it is shut off, with virsh domrename.</source>
        <translation>L’élément &lt;name&gt; doit rester %1 : libvirt ne renomme une VM qu’arrêtée, avec virsh domrename.</translation>
    </message>
    <message>
        <source>Nothing to apply: the definition is unchanged.</source>
        <translation>Rien à appliquer : la définition n’a pas changé.</translation>
    </message>
    <message>
        <source>Saving the definition…</source>
        <translation>Enregistrement de la définition…</translation>
    </message>
    <message>
        <source>libvirt refused the definition; nothing was changed: %1</source>
        <translation>libvirt a refusé la définition ; rien n’a été modifié : %1</translation>
    </message>
    <message>
        <source>Editing the saved definition</source>
        <translation>Modification de la définition enregistrée</translation>
    </message>
    <message>
        <source>Definition saved. The running VM takes most changes at its next boot.</source>
        <translation>Définition enregistrée. La VM en marche prendra la plupart des changements à son prochain démarrage.</translation>
    </message>
    <message>
        <source>Definition saved.</source>
        <translation>Définition enregistrée.</translation>
    </message>
    <message>
        <source>Live configuration, read-only</source>
        <translation>Configuration en cours, lecture seule</translation>
    </message>
</context>
<context>
    <name>Vigie::EmptyFleetPage</name>
    <message>
        <source>No host connected</source>
        <translation>Aucun hôte connecté</translation>
    </message>
    <message>
        <source>Connect to a libvirt host, or open the demo datacenter: a fleet and its network controller, with no infrastructure.</source>
        <translation>Connectez-vous à un hôte libvirt, ou ouvrez le centre de données de démonstration&#xa0;: un parc et son contrôleur réseau, sans aucune infrastructure.</translation>
    </message>
</context>
<context>
    <name>Vigie::EvacuationDialog</name>
    <message>
        <source>&amp;Copy the VMs&apos; disks to the destination (storage not shared between hosts)</source>
        <translation>&amp;Copier les disques des VM vers la destination (stockage non partagé entre hôtes)</translation>
    </message>
    <message>
        <source>Evacuate %1</source>
        <translation>Évacuer %1</translation>
    </message>
    <message numerus="yes">
        <source>Migrate %n VM(s) off %1 and put it in maintenance? Each goes through the migration queue to the host chosen below.</source>
        <translation>
            <numerusform>Migrer %n VM hors de %1 et le mettre en maintenance&#xa0;? Chacune passe par la file des migrations vers l’hôte choisi ci-dessous.</numerusform>
            <numerusform>Migrer %n VM hors de %1 et le mettre en maintenance&#xa0;? Chacune passe par la file des migrations vers l’hôte choisi ci-dessous.</numerusform>
        </translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Remarque</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n vCPU(s)</source>
        <translation>
            <numerusform>%1 · %n vCPU</numerusform>
            <numerusform>%1 · %n vCPU</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n disk(s)</source>
        <translation>
            <numerusform>%n disque</numerusform>
            <numerusform>%n disques</numerusform>
        </translation>
    </message>
    <message>
        <source>off</source>
        <comment>a VM that is not running</comment>
        <translation>arrêtée</translation>
    </message>
    <message>
        <source>It is off: it moves as its definition and takes no memory on the destination until it starts.</source>
        <translation>Elle est arrêtée&#xa0;: sa définition seule est déplacée, et elle ne prend pas de mémoire sur la destination avant de démarrer.</translation>
    </message>
    <message>
        <source>The hosts that can take %1. Another choice is checked again against the other moves.</source>
        <translation>Les hôtes qui peuvent accueillir %1. Un autre choix est revérifié face aux autres déplacements.</translation>
    </message>
    <message>
        <source>%1 (site %2)</source>
        <comment>a destination on another site</comment>
        <translation>%1 (site %2)</translation>
    </message>
    <message>
        <source>%1 free before the plan</source>
        <translation>%1 libres avant le plan</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) cannot move and stay on %1:</source>
        <translation>
            <numerusform>%n VM ne peut pas partir et reste sur %1&#xa0;:</numerusform>
            <numerusform>%n VM ne peuvent pas partir et restent sur %1&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <source>Why it stays</source>
        <translation>Pourquoi elle reste</translation>
    </message>
    <message>
        <source>Needed when the disk images are local to each host; leave unchecked on shared storage. A VM that is off moves as its definition: its disks are not copied.</source>
        <translation>Nécessaire quand les images disque sont locales à chaque hôte&#xa0;; laisser décoché sur un stockage partagé. Une VM arrêtée est déplacée par sa définition&#xa0;: ses disques ne sont pas copiés.</translation>
    </message>
    <message>
        <source>&amp;Evacuate</source>
        <translation>É&amp;vacuer</translation>
    </message>
    <message>
        <source>No VM can move.</source>
        <translation>Aucune VM ne peut partir.</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) do not fit where they are sent: choose another host for them.</source>
        <translation>
            <numerusform>%n VM ne tient pas là où elle est envoyée&#xa0;: choisissez-lui un autre hôte.</numerusform>
            <numerusform>%n VM ne tiennent pas là où elles sont envoyées&#xa0;: choisissez-leur un autre hôte.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::EvacuationPlan</name>
    <message>
        <source>Not enough free memory left on %1 once the plan&apos;s other VMs are there.</source>
        <translation>Plus assez de mémoire libre sur %1 une fois les autres VM du plan arrivées.</translation>
    </message>
    <message>
        <source>No other host.</source>
        <translation>Aucun autre hôte.</translation>
    </message>
    <message>
        <source>The pre-flight does not accept this host for it.</source>
        <translation>Les vérifications préalables refusent cet hôte pour elle.</translation>
    </message>
    <message>
        <source>Not enough free memory on %1 for the VMs the plan sends there: %2 needed, %3 free.</source>
        <translation>Pas assez de mémoire libre sur %1 pour les VM que le plan y envoie&#xa0;: %2 nécessaires, %3 libres.</translation>
    </message>
    <message>
        <source>%1 is on another site (%2) than %3 (%4): the VM&apos;s memory crosses the link between the sites, and so do its disks, in full, if they are copied.</source>
        <translation>%1 est sur un autre site (%2) que %3 (%4)&#xa0;: la mémoire de la VM traverse le lien entre les sites, et ses disques aussi, en entier, s’ils sont copiés.</translation>
    </message>
    <message>
        <source>%1 is on another site (%2) than %3 (%4): a VM that is off moves as its definition only, so its disks must be reachable from %1.</source>
        <translation>%1 est sur un autre site (%2) que %3 (%4)&#xa0;: une VM arrêtée n’est déplacée que par sa définition, ses disques doivent donc être accessibles depuis %1.</translation>
    </message>
    <message>
        <source>No host of %1 can take it.</source>
        <translation>Aucun hôte de %1 ne peut l’accueillir.</translation>
    </message>
    <message>
        <source>Shares %1 with %2, of the same tier (%3): that host down stops them together.</source>
        <translation>Partage %1 avec %2, du même groupe (%3)&#xa0;: cet hôte en panne les arrête ensemble.</translation>
    </message>
    <message>
        <source>The hosts that can take it without one of its tier are on another site.</source>
        <translation>Les hôtes qui peuvent l’accueillir sans une VM de son groupe sont sur un autre site.</translation>
    </message>
    <message>
        <source>Every other host that can take it already holds one of its tier.</source>
        <translation>Tous les autres hôtes qui peuvent l’accueillir ont déjà une VM de son groupe.</translation>
    </message>
</context>
<context>
    <name>Vigie::EventLogModel</name>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
</context>
<context>
    <name>Vigie::EventSearchDialog</name>
    <message>
        <source>&amp;Export as CSV…</source>
        <translation>&amp;Exporter en CSV…</translation>
    </message>
    <message>
        <source>Event history</source>
        <translation>Historique des événements</translation>
    </message>
    <message>
        <source>Host, connection, VM, action, result or user</source>
        <translation>Hôte, connexion, VM, action, résultat ou utilisateur</translation>
    </message>
    <message>
        <source>&amp;Containing:</source>
        <translation>&amp;Contenant&#xa0;:</translation>
    </message>
    <message>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Du&#xa0;:</translation>
    </message>
    <message>
        <source>The newest %1 events; narrow the search to see older ones</source>
        <translation>Les %1 événements les plus récents&#xa0;; affinez la recherche pour voir les plus anciens</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n événement</numerusform>
            <numerusform>%n événements</numerusform>
        </translation>
    </message>
    <message>
        <source>No stored history: the event log is kept for this session only</source>
        <translation>Pas d’historique enregistré&#xa0;: le journal des événements n’est gardé que pour cette session</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d’écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Export events</source>
        <translation>Exporter les événements</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>Vigie::FleetStatus</name>
    <message numerus="yes">
        <source>%n connected</source>
        <translation>
            <numerusform>%n connecté</numerusform>
            <numerusform>%n connectés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n connecting</source>
        <translation>
            <numerusform>%n en connexion</numerusform>
            <numerusform>%n en connexion</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unreachable</source>
        <translation>
            <numerusform>%n injoignable</numerusform>
            <numerusform>%n injoignables</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n en échec</numerusform>
            <numerusform>%n en échec</numerusform>
        </translation>
    </message>
    <message>
        <source>No connection — File › Connect to host… or Open demo datacenter</source>
        <translation>Aucune connexion — Fichier › Se connecter à un hôte… ou Ouvrir le centre de données de démonstration</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo datacenter&lt;/b&gt; · </source>
        <translation>&lt;b&gt;Centre de données de démonstration&lt;/b&gt; · </translation>
    </message>
    <message numerus="yes">
        <source>%n host(s): </source>
        <translation>
            <numerusform>%n hôte&#xa0;: </numerusform>
            <numerusform>%n hôtes&#xa0;: </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s), %1 running</source>
        <translation>
            <numerusform>%n VM, %1 en marche</numerusform>
            <numerusform>%n VM, %1 en marche</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::HistoryUi</name>
    <message>
        <source>&amp;Event history…</source>
        <translation>&amp;Historique des événements…</translation>
    </message>
    <message>
        <source>&amp;Usage…</source>
        <translation>&amp;Consommation…</translation>
    </message>
    <message>
        <source>Search the stored event log by text and time, export it as CSV</source>
        <translation>Chercher dans le journal des événements enregistré par texte et par période, l’exporter en CSV</translation>
    </message>
    <message>
        <source>What each tenant&apos;s VMs were allocated and used, and what it costs; CSV and PDF</source>
        <translation>Ce que les VM de chaque locataire ont eu d’alloué et ont utilisé, et ce que cela coûte&#xa0;; CSV et PDF</translation>
    </message>
    <message>
        <source>The metrics history was damaged and has been set aside</source>
        <translation>L’historique des métriques était endommagé et a été mis de côté</translation>
    </message>
    <message>
        <source>%1 could not be read (%2). It was renamed %3 and kept for inspection; a new history starts now.</source>
        <translation>%1 n’a pas pu être lu (%2). Il a été renommé %3 et conservé pour examen&#xa0;; un nouvel historique commence maintenant.</translation>
    </message>
    <message>
        <source>No metrics history</source>
        <translation>Pas d’historique des métriques</translation>
    </message>
    <message>
        <source>%1: charts show the last hour only.</source>
        <translation>%1&#xa0;: les graphiques ne montrent que la dernière heure.</translation>
    </message>
    <message>
        <source>The metrics history cannot be written</source>
        <translation>L’historique des métriques ne peut pas être écrit</translation>
    </message>
</context>
<context>
    <name>Vigie::HostRater</name>
    <message>
        <source>After the move: %1 of %2 free</source>
        <extracomment>%1 free memory, %2 the host&apos;s memory</extracomment>
        <translation>Après le déplacement&#xa0;: %1 libres sur %2</translation>
    </message>
    <message>
        <source>, %1/%2 vCPUs committed</source>
        <translation>, %1/%2 vCPU engagés</translation>
    </message>
    <message>
        <source> (over-committed)</source>
        <translation> (surengagé)</translation>
    </message>
    <message numerus="yes">
        <source>CPU load %1 % over the last %n minute(s).</source>
        <translation>
            <numerusform>Charge CPU de %1&#xa0;% sur la dernière minute.</numerusform>
            <numerusform>Charge CPU de %1&#xa0;% sur les %n dernières minutes.</numerusform>
        </translation>
    </message>
    <message>
        <source>No recent load figures.</source>
        <translation>Pas de mesure de charge récente.</translation>
    </message>
    <message numerus="yes">
        <source>VLAN(s) %1 present.</source>
        <translation>
            <numerusform>VLAN %1 présent.</numerusform>
            <numerusform>VLAN %1 présents.</numerusform>
        </translation>
    </message>
    <message>
        <source>CPU compatible.</source>
        <translation>CPU compatible.</translation>
    </message>
    <message>
        <source>CPU not compared with the source&apos;s.</source>
        <translation>CPU non comparé avec celui de la source.</translation>
    </message>
    <message>
        <source>Takes %1 of %2 VMs; %3: %4</source>
        <translation>Accueille %1 VM sur %2&#xa0;; %3&#xa0;: %4</translation>
    </message>
</context>
<context>
    <name>Vigie::HostTreeModel</name>
    <message>
        <source>%1 · %2 CPUs · %3</source>
        <translation>%1 · %2 CPU · %3</translation>
    </message>
    <message>
        <source>Committed: %1 vCPUs, %2</source>
        <translation>Alloués&#xa0;: %1 vCPU, %2</translation>
    </message>
    <message>
        <source>%1 %2, libvirt %3</source>
        <translation>%1 %2, libvirt %3</translation>
    </message>
    <message>
        <source>Demo host (libvirt test driver)</source>
        <translation>Hôte de démo (pilote de test libvirt)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>Host / VM</source>
        <translation>Hôte / VM</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n VM(s))</source>
        <translation>
            <numerusform>%1 (%n VM)</numerusform>
            <numerusform>%1 (%n VM)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n VM(s) of %2)</source>
        <extracomment>A host in the tenant scope: its name, and how many of the tenant&apos;s VMs it holds</extracomment>
        <translation>
            <numerusform>%1 (%n VM de %2)</numerusform>
            <numerusform>%1 (%n VM de %2)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1&apos;s share: %2 vCPUs (%3 % of %4 CPUs), %5 (%6 % of %7)</source>
        <extracomment>The tenant&apos;s share of a host: its running VMs&apos; vCPUs and memory, as parts of the host&apos;s</extracomment>
        <translation>Part de %1 : %2 vCPU (%3 % de %4 CPU), %5 (%6 % de %7)</translation>
    </message>
    <message numerus="yes">
        <source>%1
%n vCPU(s) · %2
Tenant: %3</source>
        <translation>
            <numerusform>%1
%n vCPU · %2
Locataire&#xa0;: %3</numerusform>
            <numerusform>%1
%n vCPU · %2
Locataire&#xa0;: %3</numerusform>
        </translation>
    </message>
    <message>
        <source>In maintenance</source>
        <translation>En maintenance</translation>
    </message>
    <message>
        <source>In maintenance: nothing new is placed here; End maintenance brings VMs back.</source>
        <translation>En maintenance&#xa0;: rien de nouveau n’y est placé&#xa0;; Fin de maintenance y ramène les VM.</translation>
    </message>
</context>
<context>
    <name>Vigie::Hypervisor</name>
    <message numerus="yes">
        <source>%n more warning(s) not shown</source>
        <translation>
            <numerusform>%n autre avertissement non affiché</numerusform>
            <numerusform>%n autres avertissements non affichés</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: control characters removed</source>
        <translation>%1&#xa0;: caractères de contrôle supprimés</translation>
    </message>
    <message>
        <source>%1 truncated to %2 characters</source>
        <translation>%1&#xa0;: texte tronqué à %2 caractères</translation>
    </message>
    <message>
        <source>document type declarations are not allowed</source>
        <translation>les déclarations de type de document ne sont pas autorisées</translation>
    </message>
    <message>
        <source>entity reference &quot;&amp;%1;&quot; is not allowed</source>
        <translation>la référence d&apos;entité «&#xa0;&amp;%1;&#xa0;» n&apos;est pas autorisée</translation>
    </message>
    <message>
        <source>elements are nested deeper than %1 levels</source>
        <translation>éléments imbriqués sur plus de %1 niveaux</translation>
    </message>
    <message>
        <source>domain XML has no root element</source>
        <translation>le XML du domaine n&apos;a pas d&apos;élément racine</translation>
    </message>
    <message>
        <source>not a libvirt domain: the root element is &lt;%1&gt;</source>
        <translation>ce n&apos;est pas un domaine libvirt&#xa0;: l&apos;élément racine est &lt;%1&gt;</translation>
    </message>
    <message>
        <source>malformed domain XML at line %1, column %2: %3</source>
        <translation>XML du domaine mal formé à la ligne %1, colonne %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>domain XML rejected at line %1, column %2: %3</source>
        <translation>XML du domaine rejeté à la ligne %1, colonne %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>domain XML has no name</source>
        <translation>le XML du domaine n&apos;a pas de nom</translation>
    </message>
    <message>
        <source>domain XML has no UUID</source>
        <translation>le XML du domaine n&apos;a pas d&apos;UUID</translation>
    </message>
    <message>
        <source>domain XML has an invalid UUID &quot;%1&quot;</source>
        <translation>le XML du domaine a un UUID invalide&#xa0;: «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>%1 NICs, only the first %2 kept</source>
        <translation>%1 interfaces réseau, seules les %2 premières sont conservées</translation>
    </message>
    <message>
        <source>%1 disks, only the first %2 kept</source>
        <translation>%1 disques, seuls les %2 premiers sont conservés</translation>
    </message>
    <message>
        <source>duplicate &lt;%1&gt; ignored</source>
        <translation>élément &lt;%1&gt; en double ignoré</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nom</translation>
    </message>
    <message>
        <source>title</source>
        <translation>titre</translation>
    </message>
    <message>
        <source>description</source>
        <translation>description</translation>
    </message>
    <message>
        <source>invalid current vCPU count &quot;%1&quot; ignored</source>
        <translation>nombre actuel de vCPU invalide «&#xa0;%1&#xa0;» ignoré</translation>
    </message>
    <message>
        <source>invalid vCPU count &quot;%1&quot;, shown as 0</source>
        <translation>nombre de vCPU invalide «&#xa0;%1&#xa0;», affiché à 0</translation>
    </message>
    <message>
        <source>&lt;%1&gt; has an unknown unit &quot;%2&quot;, shown as 0</source>
        <translation>&lt;%1&gt;&#xa0;: unité inconnue «&#xa0;%2&#xa0;», valeur affichée à 0</translation>
    </message>
    <message>
        <source>&lt;%1&gt; has an invalid value &quot;%2&quot;, shown as 0</source>
        <translation>&lt;%1&gt;&#xa0;: valeur invalide «&#xa0;%2&#xa0;», affichée à 0</translation>
    </message>
    <message>
        <source>&lt;%1&gt; value %2 %3 is too large, shown as 0</source>
        <translation>&lt;%1&gt;&#xa0;: valeur %2 %3 trop grande, affichée à 0</translation>
    </message>
    <message>
        <source>OS type</source>
        <translation>type d&apos;OS</translation>
    </message>
    <message>
        <source>NIC %1 %2</source>
        <extracomment>%1 is the NIC number, %2 a field such as &quot;MAC address&quot;</extracomment>
        <translation>%2 de l&apos;interface réseau %1</translation>
    </message>
    <message>
        <source>type</source>
        <translation>type</translation>
    </message>
    <message>
        <source>MAC address</source>
        <translation>adresse MAC</translation>
    </message>
    <message>
        <source>source</source>
        <translation>source</translation>
    </message>
    <message>
        <source>portgroup</source>
        <translation>groupe de ports</translation>
    </message>
    <message>
        <source>VLAN</source>
        <translation>VLAN</translation>
    </message>
    <message>
        <source>interface ID</source>
        <translation>ID d&apos;interface</translation>
    </message>
    <message>
        <source>model</source>
        <translation>modèle</translation>
    </message>
    <message>
        <source>target</source>
        <translation>cible</translation>
    </message>
    <message>
        <source>%1: invalid tag &quot;%2&quot; ignored</source>
        <translation>%1&#xa0;: tag invalide «&#xa0;%2&#xa0;» ignoré</translation>
    </message>
    <message>
        <source>%1: more than %2 tags, the rest ignored</source>
        <translation>%1&#xa0;: plus de %2 tags, les suivants sont ignorés</translation>
    </message>
    <message>
        <source>disk %1 %2</source>
        <extracomment>%1 is the disk number, %2 a field such as &quot;source&quot;</extracomment>
        <translation>%2 du disque %1</translation>
    </message>
    <message>
        <source>device</source>
        <translation>périphérique</translation>
    </message>
    <message>
        <source>format</source>
        <translation>format</translation>
    </message>
    <message>
        <source>tenant</source>
        <translation>locataire</translation>
    </message>
    <message>
        <source>domain XML is too large: %1 bytes, the limit is %2</source>
        <translation>le XML du domaine est trop volumineux&#xa0;: %1 octets pour une limite de %2</translation>
    </message>
    <message>
        <source>domain XML is empty</source>
        <translation>le XML du domaine est vide</translation>
    </message>
    <message>
        <source>network XML has no root element</source>
        <translation>le XML du réseau n&apos;a pas d&apos;élément racine</translation>
    </message>
    <message>
        <source>not a libvirt network: the root element is &lt;%1&gt;</source>
        <translation>ce n&apos;est pas un réseau libvirt&#xa0;: l&apos;élément racine est &lt;%1&gt;</translation>
    </message>
    <message>
        <source>malformed network XML at line %1, column %2: %3</source>
        <translation>XML du réseau mal formé à la ligne %1, colonne %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>network XML rejected at line %1, column %2: %3</source>
        <translation>XML du réseau rejeté à la ligne %1, colonne %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>network XML has no name</source>
        <translation>le XML du réseau n&apos;a pas de nom</translation>
    </message>
    <message>
        <source>network XML has no UUID</source>
        <translation>le XML du réseau n&apos;a pas d&apos;UUID</translation>
    </message>
    <message>
        <source>network XML has an invalid UUID &quot;%1&quot;</source>
        <translation>le XML du réseau a un UUID invalide&#xa0;: «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>network XML is too large: %1 bytes, the limit is %2</source>
        <translation>le XML du réseau est trop volumineux&#xa0;: %1 octets pour une limite de %2</translation>
    </message>
    <message>
        <source>network XML is empty</source>
        <translation>le XML du réseau est vide</translation>
    </message>
    <message>
        <source>Nova name</source>
        <translation>nom Nova</translation>
    </message>
    <message>
        <source>tag dropped: %1</source>
        <translation>étiquette écartée&#xa0;: %1</translation>
    </message>
    <message>
        <source>tag “%1” dropped: more than %2 tags</source>
        <translation>étiquette «&#xa0;%1&#xa0;» écartée&#xa0;: plus de %2 étiquettes</translation>
    </message>
    <message>
        <source>OS</source>
        <translation>OS</translation>
    </message>
</context>
<context>
    <name>Vigie::HypervisorSession</name>
    <message>
        <source>The connection to %1 was closed before libvirt answered.</source>
        <translation>La connexion à %1 a été fermée avant la réponse de libvirt.</translation>
    </message>
</context>
<context>
    <name>Vigie::HypervisorWorker</name>
    <message>
        <source>connection error</source>
        <translation>erreur de connexion</translation>
    </message>
    <message>
        <source>the daemon closed the connection</source>
        <translation>le démon a fermé la connexion</translation>
    </message>
    <message>
        <source>keepalive timeout: the host stopped answering</source>
        <translation>délai keepalive dépassé&#xa0;: l&apos;hôte ne répond plus</translation>
    </message>
    <message>
        <source>connection closed</source>
        <translation>connexion fermée</translation>
    </message>
    <message>
        <source>host is not connected</source>
        <translation>l&apos;hôte n&apos;est pas connecté</translation>
    </message>
    <message>
        <source>The running NIC moved, but the saved definition was not updated (it will come back in its old VLAN at next boot): %1</source>
        <translation>La carte réseau a changé de VLAN à chaud, mais la définition enregistrée n’a pas été mise à jour (elle reviendra dans son ancien VLAN au prochain démarrage)&#xa0;: %1</translation>
    </message>
    <message>
        <source>This host cannot change a running NIC: the VLAN applies at next boot.</source>
        <translation>Cet hôte ne peut pas modifier une carte réseau à chaud&#xa0;: le VLAN s’appliquera au prochain démarrage.</translation>
    </message>
    <message>
        <source>the host offers no hardware-virtualized guest type</source>
        <translation>l’hôte ne propose aucun type d’invité à virtualisation matérielle</translation>
    </message>
    <message>
        <source>the host has no active storage pool for the %1 GiB disk: start or define one (virsh pool-define-as default dir --target /var/lib/libvirt/images), or use a template without a disk</source>
        <translation>l’hôte n’a aucun pool de stockage actif pour le disque de %1 Gio : démarrez-en ou définissez-en un (virsh pool-define-as default dir --target /var/lib/libvirt/images), ou utilisez un modèle sans disque</translation>
    </message>
    <message>
        <source>the host is connecting</source>
        <translation>l’hôte est en cours de connexion</translation>
    </message>
    <message>
        <source>the host is not connected</source>
        <translation>l’hôte n’est pas connecté</translation>
    </message>
    <message>
        <source>%1 is managed by OpenStack Nova, which owns its definition: Vigie does not write tags into it. Use Nova&apos;s server tags (openstack server set --tag).</source>
        <translation>%1 est gérée par OpenStack Nova, à qui sa définition appartient&#xa0;: Vigie n&apos;y écrit pas d&apos;étiquettes. Utilisez les étiquettes de serveur de Nova (openstack server set --tag).</translation>
    </message>
    <message>
        <source>a VM carries at most %1 tags</source>
        <translation>une VM porte au plus %1 étiquettes</translation>
    </message>
</context>
<context>
    <name>Vigie::Inventory</name>
    <message>
        <source>VLAN %1</source>
        <translation>VLAN %1</translation>
    </message>
</context>
<context>
    <name>Vigie::JobsPanel</name>
    <message>
        <source>No migration. Drag a VM onto another host, or use VM › Migrate to.</source>
        <translation>Aucune migration. Glissez une VM sur un autre hôte ou utilisez VM › Migrer vers.</translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation>Effacer les &amp;terminées</translation>
    </message>
    <message>
        <source>Removes the finished migrations from this list (the event log keeps them).</source>
        <translation>Retire de cette liste les migrations terminées (le journal des événements les conserve).</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;  %2 → %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;  %2 → %3</translation>
    </message>
    <message>
        <source>  &lt;i&gt;(demo, simulated)&lt;/i&gt;</source>
        <translation>  &lt;i&gt;(démo, simulée)&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Aborts the migration: the VM keeps running on its host.</source>
        <translation>Interrompt la migration&#xa0;: la VM reste en marche sur son hôte.</translation>
    </message>
    <message>
        <source>in %1 s</source>
        <translation>en %1&#xa0;s</translation>
    </message>
    <message>
        <source>downtime %1 ms</source>
        <translation>interruption de %1&#xa0;ms</translation>
    </message>
    <message>
        <source>%1 sent</source>
        <translation>%1 envoyés</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 remaining</source>
        <translation>%1 restants</translation>
    </message>
    <message>
        <source>pass %1</source>
        <translation>passe %1</translation>
    </message>
    <message>
        <source>%1 dirty pages/s</source>
        <translation>%1 pages modifiées/s</translation>
    </message>
    <message>
        <source>expected downtime %1 ms</source>
        <translation>interruption prévue de %1&#xa0;ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1&#xa0;s</translation>
    </message>
    <message>
        <source>no longer cancellable</source>
        <translation>ne peut plus être annulée</translation>
    </message>
    <message>
        <source>At once per host: </source>
        <extracomment>Prefix of the spin box: at most N migrations at once per host</extracomment>
        <translation>Simultanées par hôte&#xa0;: </translation>
    </message>
    <message>
        <source>How many queued migrations may leave, and arrive on, one host at the same time. Parallel migrations share the migration network: each takes longer to converge, and each VM&apos;s final pause grows.</source>
        <translation>Combien de migrations de la file peuvent quitter un hôte, et y arriver, en même temps. Les migrations parallèles se partagent le réseau de migration&#xa0;: chacune met plus longtemps à converger, et la pause finale de chaque VM s&apos;allonge.</translation>
    </message>
    <message>
        <source>Sooner</source>
        <translation>Plus tôt</translation>
    </message>
    <message>
        <source>Moves this migration up the queue.</source>
        <translation>Avance cette migration dans la file.</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Plus tard</translation>
    </message>
    <message>
        <source>Moves this migration down the queue.</source>
        <translation>Recule cette migration dans la file.</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Queues this migration again.</source>
        <translation>Remet cette migration dans la file.</translation>
    </message>
    <message>
        <source>Takes it out of the queue: it never starts.</source>
        <translation>La retire de la file&#xa0;: elle ne démarrera pas.</translation>
    </message>
    <message numerus="yes">
        <source>Waits for a free slot: at most %n migration(s) at once leave or reach a host.</source>
        <translation>
            <numerusform>Attend une place libre&#xa0;: au plus %n migration à la fois quitte ou rejoint un hôte.</numerusform>
            <numerusform>Attend une place libre&#xa0;: au plus %n migrations à la fois quittent ou rejoignent un hôte.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n en cours</numerusform>
            <numerusform>%n en cours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n en attente</numerusform>
            <numerusform>%n en attente</numerusform>
        </translation>
    </message>
    <message>
        <source>?</source>
        <extracomment>Migration route: the destination is not known yet (a migration Vigie did not start)</extracomment>
        <translation>?</translation>
    </message>
    <message>
        <source>  &lt;i&gt;(started before Vigie)&lt;/i&gt;</source>
        <extracomment>A migration that was running when Vigie started (Vigie had quit or was killed)</extracomment>
        <translation>  &lt;i&gt;(lancée avant Vigie)&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Resume migration</source>
        <translation>Reprendre la migration</translation>
    </message>
    <message>
        <source>Reconnects the two hosts&apos; halves of the VM and completes the migration (libvirt&apos;s post-copy recovery). Do it once the hosts reach each other again.</source>
        <translation>Réunit les deux moitiés de la VM, une sur chaque hôte, et achève la migration (reprise du post-copy de libvirt). À faire une fois que les hôtes se joignent de nouveau.</translation>
    </message>
    <message>
        <source>paused on %1, stalled on %2 until the migration is resumed</source>
        <extracomment>After a failed post-copy: where the VM&apos;s two halves wait</extracomment>
        <translation>en pause sur %1, bloquée sur %2 jusqu&apos;à la reprise de la migration</translation>
    </message>
    <message>
        <source>the destination</source>
        <translation>la destination</translation>
    </message>
    <message>
        <source>&amp;Cancel migration</source>
        <translation>&amp;Annuler la migration</translation>
    </message>
    <message>
        <source>&amp;Resume migration</source>
        <translation>&amp;Reprendre la migration</translation>
    </message>
</context>
<context>
    <name>Vigie::Keyring</name>
    <message>
        <source>the keyring gave no reason</source>
        <translation>le trousseau n&apos;a pas donné de raison</translation>
    </message>
</context>
<context>
    <name>Vigie::LabDescription</name>
    <message>
        <source>No lab is running in %1: start one with scripts/lab up.</source>
        <translation>Aucun labo ne tourne dans %1 : démarrez-en un avec scripts/lab up.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2</source>
        <translation>%1 n&apos;est pas du JSON valide : %2</translation>
    </message>
    <message>
        <source>%1 lists no host.</source>
        <translation>%1 ne liste aucun hôte.</translation>
    </message>
</context>
<context>
    <name>Vigie::LibvirtSasl</name>
    <message>
        <source>a message of the wrong length</source>
        <translation>un message de mauvaise longueur</translation>
    </message>
    <message>
        <source>not libvirt&apos;s remote protocol</source>
        <translation>pas le protocole distant de libvirt</translation>
    </message>
    <message>
        <source>not a reply</source>
        <translation>pas une réponse</translation>
    </message>
    <message>
        <source>the daemon announced a message longer than %1 bytes, or shorter than a header</source>
        <translation>le démon a annoncé un message de plus de %1 octets, ou plus court qu&apos;un en-tête</translation>
    </message>
    <message>
        <source>no answer in time</source>
        <translation>pas de réponse à temps</translation>
    </message>
    <message>
        <source>the daemon answered another call</source>
        <translation>le démon a répondu à un autre appel</translation>
    </message>
    <message>
        <source>no TLS configuration (CA file %1)</source>
        <translation>pas de configuration TLS (fichier d&apos;AC %1)</translation>
    </message>
    <message>
        <source>TLS: %1</source>
        <translation>TLS&#xa0;: %1</translation>
    </message>
    <message>
        <source>an unreadable list of authentication types</source>
        <translation>une liste illisible de types d&apos;authentification</translation>
    </message>
    <message>
        <source>the daemon refused to list its authentication types</source>
        <translation>le démon a refusé de lister ses types d&apos;authentification</translation>
    </message>
    <message>
        <source>an unreadable list of SASL mechanisms</source>
        <translation>une liste illisible de mécanismes SASL</translation>
    </message>
    <message>
        <source>the daemon refused to list its SASL mechanisms</source>
        <translation>le démon a refusé de lister ses mécanismes SASL</translation>
    </message>
    <message>
        <source>MD5-based, declared historic by RFC 6331</source>
        <translation>fondé sur MD5, déclaré historique par la RFC 6331</translation>
    </message>
    <message>
        <source>an MD5 challenge-response, with no protection against a replayed or offline-cracked exchange</source>
        <translation>un défi-réponse MD5, sans protection contre un échange rejoué ou cassé hors ligne</translation>
    </message>
    <message>
        <source>SHA-1, superseded by SCRAM-SHA-256</source>
        <translation>SHA-1, remplacé par SCRAM-SHA-256</translation>
    </message>
    <message>
        <source>NTLM&apos;s MD4 and MD5 hashes, long broken</source>
        <translation>les empreintes MD4 et MD5 de NTLM, cassées depuis longtemps</translation>
    </message>
    <message>
        <source>SASL to %1 refused: over plain TCP libvirt needs a mechanism that encrypts the session, and the daemon offers only broken ones for that: %2. Vigie sent no credentials. Connect over TLS (qemu+tls://%3/system) to use %4, or enable GSSAPI.</source>
        <extracomment>%1 host:port, %2 broken SASL mechanisms with why, %3 host, %4 a usable mechanism</extracomment>
        <translation>SASL vers %1 refusé&#xa0;: en TCP simple, libvirt exige un mécanisme qui chiffre la session, et le démon n&apos;en propose que des cassés&#xa0;: %2. Vigie n&apos;a envoyé aucun identifiant. Connectez-vous en TLS (qemu+tls://%3/system) pour utiliser %4, ou activez GSSAPI.</translation>
    </message>
    <message>
        <source>SASL to %1 refused: besides broken mechanisms (%2) the daemon offers only %3, which sends the password as it is, and the URI does not verify the server&apos;s certificate (no_verify=1). Vigie sent no credentials. Verify the server, or enable SCRAM-SHA-256 in the host&apos;s SASL configuration for libvirt (mech_list in /etc/sasl2/libvirt.conf).</source>
        <extracomment>%1 host:port, %2 broken SASL mechanisms with why, %3 a mechanism sending the password as is</extracomment>
        <translation>SASL vers %1 refusé&#xa0;: outre des mécanismes cassés (%2), le démon ne propose que %3, qui envoie le mot de passe tel quel, et l&apos;URI ne vérifie pas le certificat du serveur (no_verify=1). Vigie n&apos;a envoyé aucun identifiant. Vérifiez le serveur, ou activez SCRAM-SHA-256 dans la configuration SASL de libvirt sur l&apos;hôte (mech_list dans /etc/sasl2/libvirt.conf).</translation>
    </message>
    <message>
        <source>SASL to %1 refused: the daemon offers only broken mechanisms: %2. Vigie sent no credentials. Enable SCRAM-SHA-256 or GSSAPI in the host&apos;s SASL configuration for libvirt (mech_list in /etc/sasl2/libvirt.conf).</source>
        <extracomment>%1 host:port, %2 broken SASL mechanisms with why</extracomment>
        <translation>SASL vers %1 refusé&#xa0;: le démon ne propose que des mécanismes cassés&#xa0;: %2. Vigie n&apos;a envoyé aucun identifiant. Activez SCRAM-SHA-256 ou GSSAPI dans la configuration SASL de libvirt sur l&apos;hôte (mech_list dans /etc/sasl2/libvirt.conf).</translation>
    </message>
</context>
<context>
    <name>Vigie::LibvirtTls</name>
    <message>
        <source>unknown CA: the server&apos;s certificate was not issued by the CA in %1</source>
        <extracomment>TLS check; %1 is a file</extracomment>
        <translation>AC inconnue&#xa0;: le certificat du serveur n&apos;a pas été émis par l&apos;AC de %1</translation>
    </message>
    <message>
        <source>expired: the server&apos;s certificate expired on %1</source>
        <extracomment>TLS check; %1 is a date and time</extracomment>
        <translation>expiré&#xa0;: le certificat du serveur a expiré le %1</translation>
    </message>
    <message>
        <source>not yet valid: the server&apos;s certificate is valid from %1</source>
        <extracomment>TLS check; %1 is a date and time</extracomment>
        <translation>pas encore valide&#xa0;: le certificat du serveur est valide à partir du %1</translation>
    </message>
    <message>
        <source>host name not in the certificate: the server&apos;s certificate does not name %1 (it names %2)</source>
        <extracomment>TLS check; %1 is the host of the URI, %2 the names in the certificate</extracomment>
        <translation>nom d&apos;hôte absent du certificat&#xa0;: le certificat du serveur ne nomme pas %1 (il nomme %2)</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>rien</translation>
    </message>
    <message>
        <source>revoked: the server&apos;s certificate was revoked by its CA</source>
        <translation>révoqué&#xa0;: le certificat du serveur a été révoqué par son AC</translation>
    </message>
    <message>
        <source>the server&apos;s certificate failed verification: %1</source>
        <translation>le certificat du serveur n&apos;a pas passé la vérification&#xa0;: %1</translation>
    </message>
    <message>
        <source>client certificate refused by the server: it did not accept Vigie&apos;s certificate %1</source>
        <extracomment>TLS check; %1 is a file</extracomment>
        <translation>certificat client refusé par le serveur&#xa0;: il n&apos;a pas accepté le certificat de Vigie %1</translation>
    </message>
    <message>
        <source>Server certificate: subject &quot;%1&quot;, SHA-256 %2.</source>
        <translation>Certificat du serveur&#xa0;: sujet «&#xa0;%1&#xa0;», SHA-256 %2.</translation>
    </message>
    <message>
        <source>Vigie&apos;s certificate: subject &quot;%1&quot;, SHA-256 %2.</source>
        <translation>Certificat de Vigie&#xa0;: sujet «&#xa0;%1&#xa0;», SHA-256 %2.</translation>
    </message>
    <message>
        <source>Vigie has no client certificate (%1).</source>
        <translation>Vigie n&apos;a pas de certificat client (%1).</translation>
    </message>
    <message>
        <source>TLS to %1:%2 refused, %3. %4 Nothing was sent unencrypted.</source>
        <extracomment>%1:%2 host and port, %3 the failed check, %4 the certificate&apos;s subject and fingerprint</extracomment>
        <translation>TLS vers %1:%2 refusé, %3. %4 Rien n&apos;a été envoyé en clair.</translation>
    </message>
    <message>
        <source>(libvirt: %1)</source>
        <translation>(libvirt&#xa0;: %1)</translation>
    </message>
</context>
<context>
    <name>Vigie::LibvirtUri</name>
    <message>
        <source>The URI is empty.</source>
        <translation>L&apos;URI est vide.</translation>
    </message>
    <message>
        <source>This is not a libvirt URI: it starts with a driver and &quot;://&quot;, as in qemu:///system or qemu+ssh://root@host/system.</source>
        <translation>Ce n&apos;est pas une URI libvirt&#xa0;: elle commence par un pilote et «&#xa0;://&#xa0;», comme qemu:///system ou qemu+ssh://root@hote/system.</translation>
    </message>
    <message>
        <source>libvirt has no driver &quot;%1&quot; (qemu, test, xen, lxc, ch, esx…).</source>
        <translation>libvirt n&apos;a pas de pilote «&#xa0;%1&#xa0;» (qemu, test, xen, lxc, ch, esx…).</translation>
    </message>
    <message>
        <source>libvirt has no transport &quot;%1&quot; (ssh, libssh, libssh2, tls, tcp, unix, ext).</source>
        <translation>libvirt n&apos;a pas de transport «&#xa0;%1&#xa0;» (ssh, libssh, libssh2, tls, tcp, unix, ext).</translation>
    </message>
    <message>
        <source>The URI is malformed (spaces, or characters that must be escaped).</source>
        <translation>L&apos;URI est mal formée (espaces, ou caractères à échapper).</translation>
    </message>
    <message>
        <source>The SASL mechanism %1 is broken (%2): Vigie does not connect with it. Name SCRAM-SHA-256 or GSSAPI (auth=sasl.SCRAM-SHA-256), or leave the choice to the server.</source>
        <extracomment>%1 a SASL mechanism, %2 why it is refused</extracomment>
        <translation>Le mécanisme SASL %1 n&apos;est pas sûr (%2)&#xa0;: Vigie ne s&apos;en sert pas pour se connecter. Indiquez SCRAM-SHA-256 ou GSSAPI (auth=sasl.SCRAM-SHA-256), ou laissez le serveur choisir.</translation>
    </message>
</context>
<context>
    <name>Vigie::LifecycleActions</name>
    <message>
        <source>Start the selected VMs</source>
        <translation>Démarrer les VM sélectionnées</translation>
    </message>
    <message>
        <source>Ask the selected VMs&apos; guests to shut down (ACPI)</source>
        <translation>Demander aux systèmes invités des VM sélectionnées de s&apos;arrêter (ACPI)</translation>
    </message>
    <message>
        <source>Ask the selected VMs&apos; guests to reboot</source>
        <translation>Demander aux systèmes invités des VM sélectionnées de redémarrer</translation>
    </message>
    <message>
        <source>Power off the selected VMs at once, like pulling the plug</source>
        <translation>Couper immédiatement l&apos;alimentation des VM sélectionnées, comme en débranchant la prise</translation>
    </message>
    <message>
        <source>Pause the selected VMs (their memory stays allocated)</source>
        <translation>Mettre en pause les VM sélectionnées (leur mémoire reste allouée)</translation>
    </message>
    <message>
        <source>Resume the selected paused VMs</source>
        <translation>Reprendre les VM sélectionnées en pause</translation>
    </message>
    <message numerus="yes">
        <source>Shut down %n VM(s)?</source>
        <translation>
            <numerusform>Arrêter %n VM&#xa0;?</numerusform>
            <numerusform>Arrêter %n VM&#xa0;?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reboot %n VM(s)?</source>
        <translation>
            <numerusform>Redémarrer %n VM&#xa0;?</numerusform>
            <numerusform>Redémarrer %n VM&#xa0;?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Force off %n VM(s)?</source>
        <translation>
            <numerusform>Forcer l&apos;arrêt de %n VM&#xa0;?</numerusform>
            <numerusform>Forcer l&apos;arrêt de %n VM&#xa0;?</numerusform>
        </translation>
    </message>
    <message>
        <source>Force off cuts the power: unsaved data in the guests is lost.</source>
        <translation>Forcer l&apos;arrêt coupe l&apos;alimentation&#xa0;: les données non enregistrées des systèmes invités sont perdues.</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>et %n de plus</numerusform>
            <numerusform>et %n de plus</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::LogicalSwitchModel</name>
    <message numerus="yes">
        <source>Logical switch %1: VLAN %2 on physical network %3 (localnet port %4), %n VM port(s)</source>
        <translation>
            <numerusform>Commutateur logique %1&#xa0;: VLAN %2 sur le réseau physique %3 (port localnet %4), %n port de VM</numerusform>
            <numerusform>Commutateur logique %1&#xa0;: VLAN %2 sur le réseau physique %3 (port localnet %4), %n ports de VM</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Logical switch %1: overlay network (no VLAN), %n VM port(s)</source>
        <translation>
            <numerusform>Commutateur logique %1&#xa0;: réseau overlay (sans VLAN), %n port de VM</numerusform>
            <numerusform>Commutateur logique %1&#xa0;: réseau overlay (sans VLAN), %n ports de VM</numerusform>
        </translation>
    </message>
    <message>
        <source>overlay</source>
        <translation>overlay</translation>
    </message>
    <message numerus="yes">
        <source>%n VM port(s)</source>
        <translation>
            <numerusform>%n port de VM</numerusform>
            <numerusform>%n ports de VM</numerusform>
        </translation>
    </message>
    <message>
        <source>Port %1 (%2)</source>
        <translation>Port %1 (%2)</translation>
    </message>
    <message>
        <source>VM port</source>
        <translation>port de VM</translation>
    </message>
    <message>
        <source>No known VM NIC has this interface id.</source>
        <translation>Aucune carte réseau de VM connue n’a cet identifiant d’interface.</translation>
    </message>
    <message>
        <source>no VM</source>
        <translation>aucune VM</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1 (introuvable)</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <source>unclaimed</source>
        <translation>non réclamé</translation>
    </message>
    <message>
        <source>up</source>
        <translation>actif</translation>
    </message>
    <message>
        <source>down</source>
        <translation>inactif</translation>
    </message>
    <message>
        <source>Switch / port</source>
        <translation>Commutateur / port</translation>
    </message>
    <message>
        <source>VLAN</source>
        <translation>VLAN</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Locataire</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>Adresses</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Owned by %1: read-only in Vigie. %2</source>
        <translation>Appartient à %1 : en lecture seule dans Vigie. %2</translation>
    </message>
    <message>
        <source>unbound</source>
        <translation>non lié</translation>
    </message>
    <message>
        <source>%1 (elsewhere)</source>
        <translation>%1 (ailleurs)</translation>
    </message>
    <message>
        <source>No known VM NIC has this port</source>
        <translation>Aucune carte réseau de VM connue n&apos;a ce port</translation>
    </message>
    <message>
        <source>Binding unknown: Vigie does not read the controller&apos;s southbound database</source>
        <translation>Liaison inconnue : Vigie ne lit pas la base southbound du contrôleur</translation>
    </message>
    <message>
        <source>No chassis has claimed the port: %1&apos;s NIC has no network</source>
        <translation>Aucun châssis n&apos;a pris le port&#xa0;: la carte réseau de %1 n&apos;a pas de réseau</translation>
    </message>
    <message>
        <source>Bound to chassis %1, not the host %2 runs on: its traffic goes there</source>
        <translation>Lié au châssis %1, pas à l&apos;hôte où tourne %2 : son trafic part là-bas</translation>
    </message>
    <message>
        <source>Bound to chassis %1, the host %2 runs on</source>
        <translation>Lié au châssis %1, l&apos;hôte où tourne %2</translation>
    </message>
    <message>
        <source>Bound to</source>
        <translation>Lié à</translation>
    </message>
    <message>
        <source>%1 · %2 free</source>
        <translation>%1 · %2 libres</translation>
    </message>
    <message>
        <source>Subnet %1: %2 address(es) used by ports, %3 free</source>
        <translation>Sous-réseau %1 : %2 adresse(s) utilisée(s) par des ports, %3 libre(s)</translation>
    </message>
    <message>
        <source>Subnet %1, gateway %2: %3 address(es) used by ports, %4 free</source>
        <translation>Sous-réseau %1, passerelle %2 : %3 adresse(s) utilisée(s) par des ports, %4 libre(s)</translation>
    </message>
    <message>
        <source>No subnet known: neither other_config:subnet nor DHCP options.</source>
        <translation>Aucun sous-réseau connu : ni other_config:subnet ni options DHCP.</translation>
    </message>
</context>
<context>
    <name>Vigie::MainWindow</name>
    <message>
        <source>Vigie — private cloud console</source>
        <translation>Vigie — console de cloud privé</translation>
    </message>
    <message>
        <source>&amp;Connect to host…</source>
        <translation>Se &amp;connecter à un hôte…</translation>
    </message>
    <message>
        <source>Connect to a libvirt host by URI</source>
        <translation>Se connecter à un hôte libvirt par son URI</translation>
    </message>
    <message>
        <source>Open the embedded demo datacenter (no infrastructure needed)</source>
        <translation>Ouvrir le centre de données de démonstration intégré (aucune infrastructure requise)</translation>
    </message>
    <message>
        <source>&amp;Reconnect host</source>
        <translation>&amp;Reconnecter l&apos;hôte</translation>
    </message>
    <message>
        <source>Reconnect the selected host now</source>
        <translation>Reconnecter immédiatement l&apos;hôte sélectionné</translation>
    </message>
    <message>
        <source>&amp;Disconnect host</source>
        <translation>&amp;Déconnecter l&apos;hôte</translation>
    </message>
    <message>
        <source>Close the selected host&apos;s connection and forget it</source>
        <translation>Fermer la connexion à l&apos;hôte sélectionné et l&apos;oublier</translation>
    </message>
    <message>
        <source>Re&amp;fresh all</source>
        <translation>Tout &amp;actualiser</translation>
    </message>
    <message>
        <source>Read every host&apos;s inventory again</source>
        <translation>Relire l&apos;inventaire de tous les hôtes</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;VM</source>
        <translation>&amp;VM</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Find VM</source>
        <translation>&amp;Rechercher une VM</translation>
    </message>
    <message>
        <source>Filter the VM table by name, host, tenant, state or VLAN</source>
        <translation>Filtrer la table des VM par nom, hôte, locataire, état ou VLAN</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>&amp;About Vigie</source>
        <translation>À &amp;propos de Vigie</translation>
    </message>
    <message>
        <source>About Vigie</source>
        <translation>À propos de Vigie</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Vigie %1&lt;/h3&gt;&lt;p&gt;Operator console for private clouds: libvirt hypervisors and OVN networks, live.&lt;/p&gt;&lt;p&gt;Qt %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Vigie %1&lt;/h3&gt;&lt;p&gt;Console opérateur pour clouds privés&#xa0;: hyperviseurs libvirt et réseaux OVN, en temps réel.&lt;/p&gt;&lt;p&gt;Qt %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>Hôtes</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>Journal des événements</translation>
    </message>
    <message>
        <source>Already connected</source>
        <translation>Déjà connecté</translation>
    </message>
    <message>
        <source>Open de&amp;mo datacenter</source>
        <translation>Ouvrir le centre de données de dé&amp;monstration</translation>
    </message>
    <message>
        <source>Migrations</source>
        <translation>Migrations</translation>
    </message>
    <message>
        <source>Cannot migrate %1</source>
        <translation>Impossible de migrer %1</translation>
    </message>
    <message>
        <source>&amp;Metrics interval</source>
        <translation>Intervalle des &amp;mesures</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message numerus="yes">
        <source>Every %n second(s)</source>
        <translation>
            <numerusform>Toutes les %n seconde</numerusform>
            <numerusform>Toutes les %n secondes</numerusform>
        </translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Tableau de bord</translation>
    </message>
    <message>
        <source>VLAN %1</source>
        <translation>VLAN %1</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <source>Virtual machines</source>
        <translation>Machines virtuelles</translation>
    </message>
    <message>
        <source>Topology</source>
        <translation>Topologie</translation>
    </message>
    <message>
        <source>&amp;Evacuate host…</source>
        <translation>É&amp;vacuer l&apos;hôte…</translation>
    </message>
    <message>
        <source>Migrate every VM off the selected host and put it in maintenance</source>
        <translation>Migrer toutes les VM de l&apos;hôte sélectionné ailleurs et le mettre en maintenance</translation>
    </message>
    <message>
        <source>End &amp;maintenance</source>
        <translation>Fin de &amp;maintenance</translation>
    </message>
    <message>
        <source>Let VMs be placed on the selected host again</source>
        <translation>Permettre à nouveau de placer des VM sur l&apos;hôte sélectionné</translation>
    </message>
    <message>
        <source>&amp;Virtual machines</source>
        <translation>&amp;Machines virtuelles</translation>
    </message>
    <message>
        <source>Show the VM table</source>
        <translation>Afficher le tableau des VM</translation>
    </message>
    <message>
        <source>&amp;Topology</source>
        <translation>&amp;Topologie</translation>
    </message>
    <message>
        <source>Show hosts, VMs and VLANs as a picture; drag a VM to migrate it</source>
        <translation>Afficher hôtes, VM et VLAN en image&#xa0;; glisser une VM pour la migrer</translation>
    </message>
    <message>
        <source>Topology &amp;zoom</source>
        <translation>&amp;Zoom de la topologie</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>Zoom &amp;avant</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>Zoom a&amp;rrière</translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation>&amp;Taille réelle</translation>
    </message>
    <message>
        <source>&amp;Fit to window</source>
        <translation>A&amp;juster à la fenêtre</translation>
    </message>
    <message>
        <source>Export topology as &amp;PNG…</source>
        <translation>Exporter la topologie en &amp;PNG…</translation>
    </message>
    <message>
        <source>Export topology as &amp;SVG…</source>
        <translation>Exporter la topologie en &amp;SVG…</translation>
    </message>
    <message>
        <source>SVG pictures (*.svg)</source>
        <translation>Images SVG (*.svg)</translation>
    </message>
    <message>
        <source>PNG pictures (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <source>Export topology as SVG</source>
        <translation>Exporter la topologie en SVG</translation>
    </message>
    <message>
        <source>Export topology as PNG</source>
        <translation>Exporter la topologie en PNG</translation>
    </message>
    <message>
        <source>topology</source>
        <translation>topologie</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Échec de l&apos;export</translation>
    </message>
    <message>
        <source>Topology exported to %1</source>
        <translation>Topologie exportée dans %1</translation>
    </message>
    <message>
        <source>%1 created on %2</source>
        <translation>%1 créée sur %2</translation>
    </message>
    <message>
        <source>%1 not created on %2</source>
        <translation>%1 non créée sur %2</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Port %1</source>
        <translation>Port %1</translation>
    </message>
    <message>
        <source>It could not be requested on the destination chassis: %1. The migration goes on; the port is claimed there when the source lets it go.</source>
        <translation>Il n’a pas pu être demandé sur le chassis de destination&#xa0;: %1. La migration continue&#xa0;; le port y sera pris quand la source le libérera.</translation>
    </message>
    <message>
        <source>It kept its migration options: %1. Check its requested-chassis in the controller.</source>
        <translation>Il a gardé ses options de migration&#xa0;: %1. Vérifiez son requested-chassis dans le contrôleur.</translation>
    </message>
    <message>
        <source>Connect to network &amp;controller…</source>
        <translation>Connexion au &amp;contrôleur réseau…</translation>
    </message>
    <message>
        <source>Connect to an OVN network controller (its northbound and southbound databases)</source>
        <translation>Se connecter à un contrôleur réseau OVN (ses bases northbound et southbound)</translation>
    </message>
    <message>
        <source>Open &amp;console</source>
        <translation>Ouvrir la &amp;console</translation>
    </message>
    <message>
        <source>Show the selected VM&apos;s serial console in a window of its own</source>
        <translation>Afficher la console série de la VM sélectionnée dans sa propre fenêtre</translation>
    </message>
    <message>
        <source>%1 not created</source>
        <translation>%1 non créée</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>&amp;Réinitialiser la disposition</translation>
    </message>
    <message>
        <source>Put every panel back where a first start has it</source>
        <translation>Remet chaque panneau là où le place un premier démarrage</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <source>Every shortcut and gesture of the window</source>
        <translation>Tous les raccourcis et gestes de la fenêtre</translation>
    </message>
    <message>
        <source>Drag a VM onto a host</source>
        <translation>Glisser une VM sur un hôte</translation>
    </message>
    <message>
        <source>Migrate it (the dialog asks how)</source>
        <translation>La migrer (la boîte de dialogue demande comment)</translation>
    </message>
    <message>
        <source>Shift + drag a VM onto a host</source>
        <translation>Maj + glisser une VM sur un hôte</translation>
    </message>
    <message>
        <source>Migrate it with the last options, without the dialog</source>
        <translation>La migrer avec les dernières options, sans boîte de dialogue</translation>
    </message>
    <message>
        <source>Drag a VM onto a VLAN lane</source>
        <translation>Glisser une VM sur un couloir de VLAN</translation>
    </message>
    <message>
        <source>Move one of its NICs into that VLAN</source>
        <translation>Déplacer l&apos;une de ses cartes réseau dans ce VLAN</translation>
    </message>
    <message>
        <source>Drag a template onto a host</source>
        <translation>Glisser un modèle sur un hôte</translation>
    </message>
    <message>
        <source>Place a new VM there, then choose its VLAN</source>
        <translation>Y placer une nouvelle VM, puis choisir son VLAN</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Échap</translation>
    </message>
    <message>
        <source>Cancel a drag or a placement under way in the topology</source>
        <translation>Annuler un glisser ou un placement en cours dans la topologie</translation>
    </message>
    <message>
        <source>Double-click an alarm</source>
        <translation>Double-cliquer sur une alarme</translation>
    </message>
    <message>
        <source>Select its VM</source>
        <translation>Sélectionner sa VM</translation>
    </message>
    <message>
        <source>Filter hosts and VMs (host:, tenant:, tag:…)</source>
        <translation>Filtrer hôtes et VM (host:, tenant:, tag:…)</translation>
    </message>
    <message>
        <source>The best host for this: %1. %2</source>
        <translation>Le meilleur hôte pour cela&#xa0;: %1. %2</translation>
    </message>
    <message>
        <source>&amp;Rearrange</source>
        <translation>&amp;Réarranger</translation>
    </message>
    <message>
        <source>Sort each host&apos;s VMs by name again and close the gaps left by VMs that went</source>
        <translation>Trier à nouveau les VM de chaque hôte par nom et refermer les trous laissés par les VM parties</translation>
    </message>
    <message>
        <source>Topology &amp;colour</source>
        <translation>&amp;Couleurs de la topologie</translation>
    </message>
    <message>
        <source>By &amp;state</source>
        <translation>Par &amp;état</translation>
    </message>
    <message>
        <source>VMs coloured by their state: running, paused, shut off</source>
        <translation>Les VM colorées selon leur état&#xa0;: en marche, en pause, éteinte</translation>
    </message>
    <message>
        <source>By &amp;tenant</source>
        <translation>Par &amp;locataire</translation>
    </message>
    <message>
        <source>VMs coloured by their tenant, with a legend; VMs isolated by Vigie outlined in their group&apos;s colour</source>
        <translation>Les VM colorées selon leur locataire, avec une légende&#xa0;; les VM isolées par Vigie cernées de la couleur de leur groupe</translation>
    </message>
    <message>
        <source>Edit &amp;XML</source>
        <translation>Modifier le &amp;XML</translation>
    </message>
    <message>
        <source>Edit the selected VM&apos;s saved definition in the details pane</source>
        <translation>Modifier la définition enregistrée de la VM choisie, dans le panneau de détails</translation>
    </message>
    <message>
        <source>&amp;Evacuate %1…</source>
        <translation>É&amp;vacuer %1…</translation>
    </message>
    <message>
        <source>End &amp;maintenance of %1</source>
        <translation>Fin de &amp;maintenance de %1</translation>
    </message>
</context>
<context>
    <name>Vigie::Metric</name>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory used</source>
        <translation>Mémoire utilisée</translation>
    </message>
    <message>
        <source>Memory available</source>
        <translation>Mémoire disponible</translation>
    </message>
    <message>
        <source>Resident memory on the host</source>
        <translation>Mémoire résidente sur l&apos;hôte</translation>
    </message>
    <message>
        <source>Disk read</source>
        <translation>Lecture disque</translation>
    </message>
    <message>
        <source>Disk write</source>
        <translation>Écriture disque</translation>
    </message>
    <message>
        <source>Disk read operations</source>
        <translation>Opérations de lecture disque</translation>
    </message>
    <message>
        <source>Disk write operations</source>
        <translation>Opérations d&apos;écriture disque</translation>
    </message>
    <message>
        <source>Network received</source>
        <translation>Réception réseau</translation>
    </message>
    <message>
        <source>Network sent</source>
        <translation>Émission réseau</translation>
    </message>
    <message>
        <source>Packets received</source>
        <translation>Paquets reçus</translation>
    </message>
    <message>
        <source>Packets sent</source>
        <translation>Paquets émis</translation>
    </message>
    <message>
        <source>Host CPU</source>
        <translation>CPU de l&apos;hôte</translation>
    </message>
    <message>
        <source>Host memory used</source>
        <translation>Mémoire de l&apos;hôte utilisée</translation>
    </message>
    <message>
        <source>Host memory</source>
        <translation>Mémoire de l&apos;hôte</translation>
    </message>
    <message>
        <source>%</source>
        <extracomment>Unit of CPU load</extracomment>
        <translation>%</translation>
    </message>
    <message>
        <source>KiB</source>
        <extracomment>Unit: kibibytes (French: Kio)</extracomment>
        <translation>Kio</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>Mio</translation>
    </message>
    <message>
        <source>GiB</source>
        <translation>Gio</translation>
    </message>
    <message>
        <source>TiB</source>
        <translation>Tio</translation>
    </message>
    <message>
        <source>B/s</source>
        <extracomment>Unit: bytes per second (French: o/s)</extracomment>
        <translation>o/s</translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation>Kio/s</translation>
    </message>
    <message>
        <source>MiB/s</source>
        <translation>Mio/s</translation>
    </message>
    <message>
        <source>GiB/s</source>
        <translation>Gio/s</translation>
    </message>
    <message>
        <source>TiB/s</source>
        <translation>Tio/s</translation>
    </message>
    <message>
        <source>/s</source>
        <extracomment>Unit: operations or packets per second</extracomment>
        <translation>/s</translation>
    </message>
    <message>
        <source>k/s</source>
        <translation>k/s</translation>
    </message>
    <message>
        <source>M/s</source>
        <translation>M/s</translation>
    </message>
</context>
<context>
    <name>Vigie::MetricsChart</name>
    <message>
        <source>Export as PNG…</source>
        <translation>Exporter en PNG…</translation>
    </message>
    <message>
        <source>Export as PDF…</source>
        <translation>Exporter en PDF…</translation>
    </message>
    <message>
        <source>Export data as CSV…</source>
        <translation>Exporter les données en CSV…</translation>
    </message>
    <message>
        <source>%1 — no figures since %2</source>
        <translation>%1 — aucune mesure depuis %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>Documents PDF (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>Exporter le graphique</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>Impossible d’écrire %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d’écrire %1 : %2</translation>
    </message>
    <message>
        <source>%1 (max %2)</source>
        <extracomment>Crosshair of a long-range chart: a bucket&apos;s average, then its maximum</extracomment>
        <translation>%1 (max %2)</translation>
    </message>
    <message>
        <source>%1 %2 – %3</source>
        <translation>%1 %2 – %3</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 — %2 — %3</source>
        <translation>%1 — %2 — %3</translation>
    </message>
    <message>
        <source>%1 (dashed, right-hand axis)</source>
        <extracomment>Tooltip of a chart&apos;s legend: the line&apos;s full name, for lines on the right-hand axis</extracomment>
        <translation>%1 (en pointillés, axe de droite)</translation>
    </message>
</context>
<context>
    <name>Vigie::MetricsPanel</name>
    <message>
        <source>&amp;Window:</source>
        <translation>&amp;Période :</translation>
    </message>
    <message>
        <source>Last minute</source>
        <translation>Dernière minute</translation>
    </message>
    <message>
        <source>Last 10 minutes</source>
        <translation>10 dernières minutes</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>of its vCPUs</source>
        <extracomment>Legend of the CPU chart: share of the VM&apos;s vCPUs</extracomment>
        <translation>de ses vCPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <source>used</source>
        <extracomment>Legends of the memory chart (short): used by the guest, available to it, resident on the host</extracomment>
        <translation>utilisée</translation>
    </message>
    <message>
        <source>available</source>
        <translation>disponible</translation>
    </message>
    <message>
        <source>resident (host)</source>
        <translation>résidente (hôte)</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>Disque</translation>
    </message>
    <message>
        <source>read</source>
        <extracomment>Legends of the disk chart (short): bytes read, written, then operations (dashed)</extracomment>
        <translation>lecture</translation>
    </message>
    <message>
        <source>write</source>
        <translation>écriture</translation>
    </message>
    <message>
        <source>read ops</source>
        <translation>op. lecture</translation>
    </message>
    <message>
        <source>write ops</source>
        <translation>op. écriture</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <source>received</source>
        <extracomment>Legends of the network chart (short): bytes received, sent, then packets (dashed)</extracomment>
        <translation>reçu</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>envoyé</translation>
    </message>
    <message>
        <source>pkts in</source>
        <translation>paquets reçus</translation>
    </message>
    <message>
        <source>pkts out</source>
        <translation>paquets envoyés</translation>
    </message>
    <message>
        <source>all host CPUs</source>
        <translation>tous les CPU de l’hôte</translation>
    </message>
    <message>
        <source>total</source>
        <translation>totale</translation>
    </message>
    <message>
        <source>%1 · no figures yet: they come with the host&apos;s next tick</source>
        <translation>%1 · pas encore de mesures : elles arrivent avec le prochain relevé de l’hôte</translation>
    </message>
    <message>
        <source>%1 · synthetic figures (demo datacenter)</source>
        <translation>%1 · mesures synthétiques (centre de données de démonstration)</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>Dernière année</translation>
    </message>
    <message>
        <source>%1 · no stored history: only the last hour is shown</source>
        <translation>%1 · pas d’historique enregistré&#xa0;: seule la dernière heure est affichée</translation>
    </message>
    <message>
        <source>Custom range…</source>
        <translation>Période personnalisée…</translation>
    </message>
    <message>
        <source>Time shown by every chart; over an hour, the stored history&apos;s minute or hour averages, with their maxima as a faint line. On a chart, the wheel zooms and a drag moves back in time; right-click a chart to export it</source>
        <translation>Période montrée par tous les graphiques ; au-delà d&apos;une heure, les moyennes par minute ou par heure de l&apos;historique enregistré, avec leurs maxima en trait pâle. Sur un graphique, la molette zoome et un glisser remonte le temps ; clic droit pour exporter</translation>
    </message>
    <message>
        <source>&amp;Now</source>
        <translation>&amp;Maintenant</translation>
    </message>
    <message>
        <source>Back to the chosen window, ending now (or double-click a chart)</source>
        <translation>Revenir à la période choisie, jusqu&apos;à maintenant (ou double-cliquer sur un graphique)</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>Depuis %1</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Période choisie</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Du&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;Au :</translation>
    </message>
</context>
<context>
    <name>Vigie::MetricsSourceDialog</name>
    <message>
        <source>&amp;Direct: each host is polled through its libvirt connection</source>
        <translation>&amp;Direct&#xa0;: chaque hôte est interrogé par sa connexion libvirt</translation>
    </message>
    <message>
        <source>&amp;Prometheus: a server scraping prometheus-libvirt-exporter on each host</source>
        <translation>&amp;Prometheus&#xa0;: un serveur qui collecte prometheus-libvirt-exporter sur chaque hôte</translation>
    </message>
    <message>
        <source>Metrics source</source>
        <translation>Source des métriques</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>User and password (basic)</source>
        <translation>Utilisateur et mot de passe (basic)</translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation>Jeton bearer</translation>
    </message>
    <message>
        <source>10.0.0.11:9177=qemu+ssh://hv1/system</source>
        <translation>10.0.0.11:9177=qemu+ssh://hv1/system</translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation>&amp;URL du serveur&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation>&amp;Authentification&#xa0;:</translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation>U&amp;tilisateur&#xa0;:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>&amp;Jeton&#xa0;:</translation>
    </message>
    <message>
        <source>Ta&amp;rgets:</source>
        <translation>&amp;Cibles&#xa0;:</translation>
    </message>
    <message>
        <source>One &quot;instance=libvirt URI&quot; a line, for exporters that cannot be matched otherwise. Without it a target is matched by its libvirt_uri label, then by the VMs it reports.</source>
        <translation>Une ligne «&#xa0;instance=URI libvirt&#xa0;» par exporteur qui ne peut être rapproché autrement. Sans elle, une cible est rapprochée par son étiquette libvirt_uri, puis par les VM qu&apos;elle rapporte.</translation>
    </message>
    <message>
        <source>Give the Prometheus server&apos;s URL.</source>
        <translation>Indiquez l&apos;URL du serveur Prometheus.</translation>
    </message>
    <message>
        <source>The URL must be http:// or https:// with a host name.</source>
        <translation>L&apos;URL doit être en http:// ou https:// avec un nom d&apos;hôte.</translation>
    </message>
    <message>
        <source>The password and the token are kept in the desktop&apos;s keyring (GNOME Keyring, KWallet, KeePassXC…), never in Vigie&apos;s settings file; prefer an account or token that can only read metrics.</source>
        <translation>Le mot de passe et le jeton sont gardés dans le trousseau du bureau (GNOME Keyring, KWallet, KeePassXC…), jamais dans le fichier de réglages de Vigie&#xa0;; préférez un compte ou un jeton qui ne peut que lire les métriques.</translation>
    </message>
</context>
<context>
    <name>Vigie::MetricsSourceUi</name>
    <message>
        <source>Metrics &amp;source…</source>
        <translation>&amp;Source des métriques…</translation>
    </message>
    <message>
        <source>Poll each host directly, or read the metrics from a Prometheus server</source>
        <translation>Interroger chaque hôte directement, ou lire les métriques sur un serveur Prometheus</translation>
    </message>
    <message>
        <source>Metrics: Prometheus (off)</source>
        <translation>Métriques&#xa0;: Prometheus (arrêté)</translation>
    </message>
    <message>
        <source>Metrics: Prometheus…</source>
        <translation>Métriques&#xa0;: Prometheus…</translation>
    </message>
    <message>
        <source>Metrics: Prometheus</source>
        <translation>Métriques&#xa0;: Prometheus</translation>
    </message>
    <message>
        <source>Metrics: Prometheus not answering</source>
        <translation>Métriques&#xa0;: Prometheus ne répond pas</translation>
    </message>
    <message>
        <source>The Prometheus token is not in the keyring</source>
        <translation>Le jeton Prometheus n&apos;est pas dans le trousseau</translation>
    </message>
    <message>
        <source>The Prometheus password is not in the keyring</source>
        <translation>Le mot de passe Prometheus n&apos;est pas dans le trousseau</translation>
    </message>
    <message>
        <source>Enter it again in View › Metrics source…: Vigie keeps it in the desktop&apos;s keyring.</source>
        <translation>Saisissez-le de nouveau dans Affichage › Source des métriques…&#xa0;: Vigie le garde dans le trousseau du bureau.</translation>
    </message>
    <message>
        <source>The desktop&apos;s keyring did not answer: %1. Vigie reads Prometheus without it; enter it again in View › Metrics source… to use it until Vigie quits.</source>
        <translation>Le trousseau du bureau n&apos;a pas répondu&#xa0;: %1. Vigie lit Prometheus sans lui&#xa0;; saisissez-le de nouveau dans Affichage › Source des métriques… pour vous en servir jusqu&apos;à la fermeture de Vigie.</translation>
    </message>
    <message>
        <source>The desktop&apos;s keyring did not take it: %1. Vigie uses it until it quits; enter it again in View › Metrics source… after the next start.</source>
        <translation>Le trousseau du bureau ne l&apos;a pas pris&#xa0;: %1. Vigie s&apos;en sert jusqu&apos;à sa fermeture&#xa0;; saisissez-le de nouveau dans Affichage › Source des métriques… après le prochain démarrage.</translation>
    </message>
    <message>
        <source>The Prometheus password is not remembered</source>
        <translation>Le mot de passe Prometheus n&apos;est pas retenu</translation>
    </message>
    <message>
        <source>The Prometheus token is not remembered</source>
        <translation>Le jeton Prometheus n&apos;est pas retenu</translation>
    </message>
</context>
<context>
    <name>Vigie::Migration</name>
    <message>
        <source>Preparing</source>
        <translation>En préparation</translation>
    </message>
    <message>
        <source>Migrating</source>
        <translation>Migration en cours</translation>
    </message>
    <message>
        <source>Post-copy</source>
        <extracomment>Migration phase: the VM already runs on the destination, its memory follows on demand</extracomment>
        <translation>Post-copie</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Terminée</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échouée</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulée</translation>
    </message>
    <message>
        <source>Post-copy failed</source>
        <extracomment>Migration phase: the network failed after the switchover; the VM waits for the migration to be resumed</extracomment>
        <translation>Échec du post-copy</translation>
    </message>
    <message>
        <source>It can no longer be cancelled: the VM already runs on the destination and part of its memory is still only on the source. It can only be completed.</source>
        <translation>Elle ne peut plus être annulée&#xa0;: la VM tourne déjà sur la destination et une partie de sa mémoire n&apos;est encore que sur la source. Elle ne peut qu&apos;être achevée.</translation>
    </message>
    <message>
        <source>Post-copy failed: neither host holds all of the VM&apos;s memory. Resume the migration once the hosts reach each other again.</source>
        <translation>Échec du post-copy&#xa0;: aucun des deux hôtes n&apos;a toute la mémoire de la VM. Reprenez la migration une fois que les hôtes se joignent de nouveau.</translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationController</name>
    <message>
        <source>This VM is already being migrated.</source>
        <translation>Cette VM est déjà en cours de migration.</translation>
    </message>
    <message>
        <source>Migration</source>
        <translation>Migration</translation>
    </message>
    <message>
        <source>To %1 started%2</source>
        <translation>Démarrée vers %1%2</translation>
    </message>
    <message>
        <source> (simulated: demo hosts)</source>
        <translation> (simulée&#xa0;: hôtes de démo)</translation>
    </message>
    <message>
        <source>To %1 completed in %2 s, downtime %3 ms</source>
        <translation>Terminée vers %1 en %2&#xa0;s, interruption de %3&#xa0;ms</translation>
    </message>
    <message>
        <source>To %1 completed in %2 s</source>
        <translation>Terminée vers %1 en %2&#xa0;s</translation>
    </message>
    <message>
        <source>To %1 cancelled: the VM stays on its host</source>
        <translation>Annulée vers %1&#xa0;: la VM reste sur son hôte</translation>
    </message>
    <message>
        <source>To %1 failed: %2</source>
        <translation>Échec vers %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>the VM stays on %1</source>
        <translation>la VM reste sur %1</translation>
    </message>
    <message>
        <source>Running without Vigie: followed again</source>
        <translation>En cours sans Vigie&#xa0;: suivie de nouveau</translation>
    </message>
    <message>
        <source>To %1 running without Vigie: followed again</source>
        <translation>Vers %1 en cours sans Vigie&#xa0;: suivie de nouveau</translation>
    </message>
    <message>
        <source>Paused by a migration that did not complete: resume it on this host</source>
        <translation>En pause après une migration inachevée&#xa0;: reprenez-la sur cet hôte</translation>
    </message>
    <message>
        <source>interrupted: Vigie stopped during the migration, which did not complete; the VM is paused on %1: resume it there</source>
        <translation>interrompue&#xa0;: Vigie s&apos;est arrêté pendant la migration, qui ne s&apos;est pas achevée&#xa0;; la VM est en pause sur %1&#xa0;: reprenez-la là-bas</translation>
    </message>
    <message>
        <source>interrupted: Vigie stopped during the migration, which did not complete; the VM keeps running on %1</source>
        <translation>interrompue&#xa0;: Vigie s&apos;est arrêté pendant la migration, qui ne s&apos;est pas achevée&#xa0;; la VM continue de tourner sur %1</translation>
    </message>
    <message>
        <source>completed while Vigie was not running</source>
        <translation>achevée pendant que Vigie ne tournait pas</translation>
    </message>
    <message>
        <source>ended while Vigie was not running; the VM is no longer on %1 and not running on the destination</source>
        <translation>terminée pendant que Vigie ne tournait pas&#xa0;; la VM n&apos;est plus sur %1 et ne tourne pas sur la destination</translation>
    </message>
    <message>
        <source>another host</source>
        <translation>un autre hôte</translation>
    </message>
    <message>
        <source>To %1 %2</source>
        <translation>Vers %1 %2</translation>
    </message>
    <message>
        <source>Its post-copy migration failed: resume that migration, nothing else brings the VM back.</source>
        <translation>Sa migration en post-copy a échoué&#xa0;: reprenez cette migration, rien d&apos;autre ne ramène la VM.</translation>
    </message>
    <message>
        <source>Post-copy failed: paused here, stalled on the destination; resume the migration</source>
        <translation>Échec du post-copy&#xa0;: en pause ici, bloquée sur la destination&#xa0;; reprenez la migration</translation>
    </message>
    <message>
        <source>To %1: post-copy failed (%2); the VM is paused on %3 and stalled on %1 until the migration is resumed</source>
        <translation>Vers %1&#xa0;: échec du post-copy (%2)&#xa0;; la VM est en pause sur %3 et bloquée sur %1 jusqu&apos;à la reprise de la migration</translation>
    </message>
    <message>
        <source>No such migration.</source>
        <translation>Migration introuvable.</translation>
    </message>
    <message>
        <source>Only a migration whose post-copy failed can be resumed.</source>
        <translation>Seule une migration dont le post-copy a échoué peut être reprise.</translation>
    </message>
    <message>
        <source>Both hosts must be connected to resume the migration.</source>
        <translation>Les deux hôtes doivent être connectés pour reprendre la migration.</translation>
    </message>
    <message>
        <source>To %1: resuming the post-copy migration</source>
        <translation>Vers %1&#xa0;: reprise de la migration en post-copy</translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationDialog</name>
    <message>
        <source>&amp;Live (the VM keeps running)</source>
        <translation>Migration à &amp;chaud (la VM reste en marche)</translation>
    </message>
    <message>
        <source>&amp;Define on the destination</source>
        <translation>&amp;Définir sur la destination</translation>
    </message>
    <message>
        <source>&amp;Remove the definition from the source</source>
        <translation>&amp;Supprimer la définition de la source</translation>
    </message>
    <message>
        <source>&amp;Auto-converge (slow down a busy guest)</source>
        <translation>&amp;Auto-convergence (ralentit un système invité trop actif)</translation>
    </message>
    <message>
        <source>&amp;Compress memory pages</source>
        <translation>Comp&amp;resser les pages mémoire</translation>
    </message>
    <message>
        <source>&amp;Post-copy after the first pass</source>
        <translation>&amp;Post-copie après la première passe</translation>
    </message>
    <message>
        <source>Copy &amp;non-shared disks</source>
        <translation>Copier les disques &amp;non partagés</translation>
    </message>
    <message>
        <source>Migrate %1</source>
        <translation>Migrer %1</translation>
    </message>
    <message>
        <source>Move &lt;b&gt;%1&lt;/b&gt; from &lt;b&gt;%2&lt;/b&gt; to &lt;b&gt;%3&lt;/b&gt;.</source>
        <translation>Déplacer &lt;b&gt;%1&lt;/b&gt; de &lt;b&gt;%2&lt;/b&gt; vers &lt;b&gt;%3&lt;/b&gt;.</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>libvirt&apos;s default</source>
        <translation>valeur par défaut de libvirt</translation>
    </message>
    <message>
        <source>Longest pause of the VM when it switches over to the destination.</source>
        <translation>Durée maximale de la pause de la VM au moment de sa bascule vers la destination.</translation>
    </message>
    <message>
        <source> MiB/s</source>
        <translation> Mio/s</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>illimitée</translation>
    </message>
    <message>
        <source>Copies local disk images to the destination (slower); leave it off for shared storage.</source>
        <translation>Copie les images disque locales vers la destination (plus lent)&#xa0;; à laisser décoché avec un stockage partagé.</translation>
    </message>
    <message>
        <source>Maximum &amp;downtime:</source>
        <translation>&amp;Interruption maximale&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Bandwidth:</source>
        <translation>&amp;Bande passante&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation>M&amp;ode&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Migrate</source>
        <translation>&amp;Migrer</translation>
    </message>
    <message numerus="yes">
        <source>Migrate %n VM(s)</source>
        <translation>
            <numerusform>Migrer %n VM</numerusform>
            <numerusform>Migrer %n VM</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %n VM(s) to &lt;b&gt;%1&lt;/b&gt;, through the migration queue.</source>
        <translation>
            <numerusform>Déplacer %n VM vers &lt;b&gt;%1&lt;/b&gt;, par la file de migrations.</numerusform>
            <numerusform>Déplacer %n VM vers &lt;b&gt;%1&lt;/b&gt;, par la file de migrations.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cannot go and are left out.</source>
        <translation>
            <numerusform>%n ne peut pas partir et reste en place.</numerusform>
            <numerusform>%n ne peuvent pas partir et restent en place.</numerusform>
        </translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Depuis</translation>
    </message>
    <message>
        <source>Pre-flight</source>
        <translation>Vérification préalable</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>How many queued migrations may leave, and arrive on, one host at the same time. Parallel migrations share the migration network: each takes longer to converge, and each VM&apos;s final pause grows.</source>
        <translation>Combien de migrations de la file peuvent quitter un hôte, et y arriver, en même temps. Les migrations parallèles se partagent le réseau de migration&#xa0;: chacune met plus longtemps à converger, et la pause finale de chaque VM s&apos;allonge.</translation>
    </message>
    <message>
        <source>At once per &amp;host:</source>
        <translation>Simultanées par &amp;hôte&#xa0;:</translation>
    </message>
    <message>
        <source>Direct (Vigie drives both hosts)</source>
        <translation>Directe (Vigie pilote les deux hôtes)</translation>
    </message>
    <message>
        <source>Peer to peer (the source host connects to the destination)</source>
        <translation>Pair à pair (l&apos;hôte source se connecte à la destination)</translation>
    </message>
    <message>
        <source>Direct: Vigie connects to both hosts&apos; libvirt and drives the migration (libvirt&apos;s managed direct migration). Peer to peer: the source host&apos;s libvirt connects to the destination itself: the hosts must reach each other&apos;s libvirt.</source>
        <translation>Directe&#xa0;: Vigie se connecte au libvirt des deux hôtes et pilote la migration (la migration directe gérée de libvirt). Pair à pair&#xa0;: le libvirt de l&apos;hôte source se connecte lui-même à la destination&#xa0;; les hôtes doivent joindre le libvirt l&apos;un de l&apos;autre.</translation>
    </message>
    <message>
        <source>Post-copy: after the first full pass the VM switches over and runs on the destination before all of its memory is copied; the rest follows on demand. It always converges, but once switched over it can no longer be cancelled, and if the network between the hosts fails then, the VM stays paused on both hosts until the migration is resumed (Resume migration, once they reach each other again).</source>
        <translation>Post-copy&#xa0;: après le premier passage complet, la VM bascule et tourne sur la destination avant que toute sa mémoire soit copiée&#xa0;; le reste suit à la demande. La migration aboutit toujours, mais une fois la bascule faite elle ne peut plus être annulée, et si le réseau entre les hôtes tombe alors, la VM reste en pause sur les deux hôtes jusqu&apos;à la reprise de la migration (Reprendre la migration, une fois que les hôtes se joignent de nouveau).</translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationJob</name>
    <message>
        <source>Cannot connect to the source host: %1</source>
        <translation>Impossible de se connecter à l&apos;hôte source&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot connect to the destination host: %1</source>
        <translation>Impossible de se connecter à l&apos;hôte de destination&#xa0;: %1</translation>
    </message>
    <message>
        <source>The destination host stopped answering; the migration was aborted and the VM keeps running on the source (%1).</source>
        <translation>L&apos;hôte de destination ne répond plus&#xa0;; la migration a été interrompue et la VM reste en marche sur la source (%1).</translation>
    </message>
    <message>
        <source>The source host stopped answering during the migration (%1); check where the VM runs once it is back.</source>
        <translation>L&apos;hôte source a cessé de répondre pendant la migration (%1)&#xa0;; vérifiez sur quel hôte tourne la VM dès qu&apos;il répond à nouveau.</translation>
    </message>
    <message>
        <source>The migration ended without completing; the VM is paused on the source: resume it there.</source>
        <translation>La migration s&apos;est terminée sans s&apos;achever&#xa0;; la VM est en pause sur la source&#xa0;: reprenez-la là-bas.</translation>
    </message>
    <message>
        <source>The migration ended without completing; the VM keeps running on the source.</source>
        <translation>La migration s&apos;est terminée sans s&apos;achever&#xa0;; la VM continue de tourner sur la source.</translation>
    </message>
    <message>
        <source>The source host stopped answering while Vigie followed the migration; check where the VM runs once it is back.</source>
        <translation>L&apos;hôte source a cessé de répondre pendant que Vigie suivait la migration&#xa0;; vérifiez où tourne la VM quand il sera de retour.</translation>
    </message>
    <message>
        <source>The migration failed after the switchover.</source>
        <translation>La migration a échoué après la bascule.</translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationQueue</name>
    <message>
        <source>libvirt completed the migration, but %1 did not show up on %2 within %3 s</source>
        <translation>libvirt a terminé la migration, mais %1 n’est pas apparue sur %2 en %3&#xa0;s</translation>
    </message>
    <message>
        <source>no VM named %1</source>
        <translation>aucune VM nommée %1</translation>
    </message>
    <message>
        <source>%1 VMs are named %2</source>
        <translation>%1 VM sont nommées %2</translation>
    </message>
    <message>
        <source>no host named %1</source>
        <translation>aucun hôte nommé %1</translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationScheduler</name>
    <message>
        <source>Pending</source>
        <extracomment>A queued migration waiting for its turn</extracomment>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminée</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échouée</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulée</translation>
    </message>
    <message>
        <source>cancelled before it started</source>
        <translation>annulée avant de démarrer</translation>
    </message>
</context>
<context>
    <name>Vigie::MigrationWorkflow</name>
    <message>
        <source>&amp;Migrate to</source>
        <translation>&amp;Migrer vers</translation>
    </message>
    <message>
        <source>Live-migrates the selected VMs to another host.</source>
        <translation>Migre à chaud les VM sélectionnées vers un autre hôte.</translation>
    </message>
    <message>
        <source>Cannot migrate %1</source>
        <translation>Impossible de migrer %1</translation>
    </message>
    <message>
        <source>%1 (%2 free)</source>
        <translation>%1 (%2 libres)</translation>
    </message>
    <message>
        <source>%1 of %2 VMs can go; %3</source>
        <translation>Sur %2 VM, %1 peuvent y aller&#xa0;; %3</translation>
    </message>
    <message>
        <source>Migrate here</source>
        <translation>Migrer ici</translation>
    </message>
    <message>
        <source>No host</source>
        <translation>Aucun hôte</translation>
    </message>
    <message>
        <source>Reconnect %1</source>
        <translation>Reconnecter %1</translation>
    </message>
    <message>
        <source>Evacuate %1…</source>
        <translation>Évacuer %1…</translation>
    </message>
    <message>
        <source>End maintenance of %1</source>
        <translation>Fin de maintenance de %1</translation>
    </message>
    <message>
        <source>%1 is out of maintenance</source>
        <translation>%1 n&apos;est plus en maintenance</translation>
    </message>
    <message>
        <source>Bring the VMs back?</source>
        <translation>Ramener les VM&#xa0;?</translation>
    </message>
    <message numerus="yes">
        <source>Bring the %n VM(s) evacuated from %1 back to it?</source>
        <translation>
            <numerusform>Ramener sur %1 la VM qui en a été évacuée&#xa0;?</numerusform>
            <numerusform>Ramener sur %1 les %n VM qui en ont été évacuées&#xa0;?</numerusform>
        </translation>
    </message>
    <message>
        <source>They go through the migration queue, with the last migration options: %1</source>
        <translation>Elles passent par la file de migrations, avec les dernières options de migration&#xa0;: %1</translation>
    </message>
    <message>
        <source>&amp;Bring back</source>
        <translation>&amp;Ramener</translation>
    </message>
    <message>
        <source>&amp;Leave them</source>
        <translation>&amp;Les laisser</translation>
    </message>
    <message>
        <source>Cannot evacuate %1</source>
        <translation>Impossible d&apos;évacuer %1</translation>
    </message>
    <message>
        <source>%1 has no VM</source>
        <translation>%1 n&apos;a aucune VM</translation>
    </message>
    <message>
        <source>It is now in maintenance.</source>
        <translation>Il est maintenant en maintenance.</translation>
    </message>
    <message>
        <source>Evacuating %1: %2 % (%3 of %4 VMs moved, %5 failed)</source>
        <translation>Évacuation de %1&#xa0;: %2&#xa0;% (%3 VM déplacées sur %4, %5 en échec)</translation>
    </message>
    <message>
        <source>%1 evacuated</source>
        <translation>%1 évacué</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) moved; the host is in maintenance.</source>
        <translation>
            <numerusform>%n VM déplacée&#xa0;; l’hôte est en maintenance.</numerusform>
            <numerusform>%n VM déplacées&#xa0;; l’hôte est en maintenance.</numerusform>
        </translation>
    </message>
    <message>
        <source>Evacuation of %1 incomplete</source>
        <translation>Évacuation de %1 incomplète</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) moved, %1 failed:</source>
        <translation>
            <numerusform>%n VM déplacée, %1 en échec&#xa0;:</numerusform>
            <numerusform>%n VM déplacées, %1 en échec&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <source>Migrate without the dialog?</source>
        <translation>Migrer sans la boîte de dialogue&#xa0;?</translation>
    </message>
    <message>
        <source>Migrate %1 to %2 now, with the last migration options?</source>
        <translation>Migrer %1 vers %2 maintenant, avec les dernières options de migration&#xa0;?</translation>
    </message>
    <message>
        <source>Shift + drop migrates at once. It is not asked again until Vigie restarts.</source>
        <translation>Maj + déposer migre aussitôt. La question n&apos;est plus posée jusqu&apos;au prochain démarrage de Vigie.</translation>
    </message>
    <message>
        <source>Migrate</source>
        <translation>Migrer</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) cannot migrate</source>
        <translation>
            <numerusform>%n VM ne peut pas migrer</numerusform>
            <numerusform>%n VM ne peuvent pas migrer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them are managed by OpenStack Nova, which will still record them on %1 (its own evacuation, nova host-evacuate-live, moves them with OpenStack&apos;s knowledge).</source>
        <translation>
            <numerusform>%n d&apos;entre elles est gérée par OpenStack Nova, qui la croira toujours sur %1 (l&apos;évacuation de Nova, nova host-evacuate-live, les déplace au su d&apos;OpenStack).</numerusform>
            <numerusform>%n d&apos;entre elles sont gérées par OpenStack Nova, qui les croira toujours sur %1 (l&apos;évacuation de Nova, nova host-evacuate-live, les déplace au su d&apos;OpenStack).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 moved to %2</source>
        <translation>%1 déplacée vers %2</translation>
    </message>
    <message>
        <source>Shift + drop migrated it without the dialog.</source>
        <translation>Maj + déposer l’a migrée sans la boîte de dialogue.</translation>
    </message>
    <message>
        <source>Migrate back to %1</source>
        <translation>La remigrer vers %1</translation>
    </message>
    <message>
        <source>Resume mi&amp;gration</source>
        <translation>Reprendre la mi&amp;gration</translation>
    </message>
    <message>
        <source>Resumes the selected VMs&apos; migrations that failed after the switchover, once their hosts reach each other again.</source>
        <translation>Reprend les migrations des VM sélectionnées qui ont échoué après la bascule, une fois que leurs hôtes se joignent de nouveau.</translation>
    </message>
    <message>
        <source>Post-copy failed: the VM is paused on its source and stalled on its destination, each holding part of its memory. Resuming the migration is the only way back; a destroy or a start on either host loses the guest.</source>
        <translation>Échec du post-copy&#xa0;: la VM est en pause sur sa source et bloquée sur sa destination, chacune tenant une partie de sa mémoire. Reprendre la migration est le seul retour possible&#xa0;; un arrêt forcé ou un démarrage sur l&apos;un des hôtes perd l&apos;invité.</translation>
    </message>
    <message>
        <source>Cannot resume the migration of %1</source>
        <translation>Impossible de reprendre la migration de %1</translation>
    </message>
</context>
<context>
    <name>Vigie::NetworkController</name>
    <message>
        <source>No network controller</source>
        <translation>Aucun contrôleur réseau</translation>
    </message>
    <message>
        <source>Controller: stopped</source>
        <translation>Contrôleur&#xa0;: arrêté</translation>
    </message>
    <message>
        <source>Controller: connecting</source>
        <translation>Contrôleur&#xa0;: connexion</translation>
    </message>
    <message>
        <source>Controller: reading</source>
        <translation>Contrôleur&#xa0;: lecture</translation>
    </message>
    <message>
        <source>Controller: connected</source>
        <translation>Contrôleur&#xa0;: connecté</translation>
    </message>
    <message>
        <source>Controller: unreachable</source>
        <translation>Contrôleur&#xa0;: injoignable</translation>
    </message>
    <message>
        <source>Start with --controller REMOTE (tcp:, ssl: or unix:) or --lab.</source>
        <translation>Lancez avec --controller ADRESSE (tcp:, ssl: ou unix:) ou --lab.</translation>
    </message>
    <message>
        <source>OVN northbound: %1</source>
        <translation>OVN northbound&#xa0;: %1</translation>
    </message>
    <message>
        <source>Current remote: %1</source>
        <translation>Adresse courante&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n logical switch(es), </source>
        <translation>
            <numerusform>%n commutateur logique, </numerusform>
            <numerusform>%n commutateurs logiques, </numerusform>
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
        <translation>Dernière erreur&#xa0;: %1</translation>
    </message>
    <message>
        <source>Network controller</source>
        <translation>Contrôleur réseau</translation>
    </message>
    <message numerus="yes">
        <source>Connected: %n logical switch(es)</source>
        <translation>
            <numerusform>Connecté&#xa0;: %n commutateur logique</numerusform>
            <numerusform>Connecté&#xa0;: %n commutateurs logiques</numerusform>
        </translation>
    </message>
    <message>
        <source>Unreachable: %1</source>
        <translation>Injoignable&#xa0;: %1</translation>
    </message>
    <message>
        <source>The network controller is not connected (%1).</source>
        <translation>Le contrôleur réseau n’est pas connecté (%1).</translation>
    </message>
    <message>
        <source>The NIC %1 has no port in the network controller.</source>
        <translation>La carte réseau %1 n’a pas de port dans le contrôleur réseau.</translation>
    </message>
    <message>
        <source>The network controller has no switch for VLAN %1.</source>
        <translation>Le contrôleur réseau n’a pas de commutateur pour le VLAN %1.</translation>
    </message>
    <message>
        <source>The port %1 is in no logical switch.</source>
        <translation>Le port %1 n’est dans aucun commutateur logique.</translation>
    </message>
    <message>
        <source>The NIC %1 is already being moved.</source>
        <translation>La carte réseau %1 est déjà en cours de déplacement.</translation>
    </message>
    <message>
        <source>Move NIC %1</source>
        <translation>Déplacer la carte réseau %1</translation>
    </message>
    <message>
        <source>The controller refused to move port %1 from %2 to %3: %4. Nothing was changed.</source>
        <translation>Le contrôleur a refusé de déplacer le port %1 de %2 vers %3&#xa0;: %4. Rien n’a été modifié.</translation>
    </message>
    <message>
        <source>Controller: port %1 moved from %2 to %3; libvirt follows</source>
        <translation>Contrôleur&#xa0;: port %1 déplacé de %2 vers %3&#xa0;; libvirt suit</translation>
    </message>
    <message>
        <source>libvirt refused: %1. The controller&apos;s port %2 was moved back to %3: nothing changed.</source>
        <translation>libvirt a refusé&#xa0;: %1. Le port %2 du contrôleur a été remis dans %3&#xa0;: rien n’a changé.</translation>
    </message>
    <message>
        <source>libvirt refused: %1. Moving the controller&apos;s port %2 back to %3 failed too (%4): the controller has the NIC in %5 (VLAN %6) while libvirt keeps its old VLAN. Fix it from the Network panel&apos;s mismatch list.</source>
        <translation>libvirt a refusé&#xa0;: %1. Remettre le port %2 du contrôleur dans %3 a aussi échoué (%4)&#xa0;: le contrôleur place la carte réseau dans %5 (VLAN %6) alors que libvirt garde son ancien VLAN. Corrigez-le depuis la liste des écarts du panneau Réseau.</translation>
    </message>
    <message>
        <source>VLAN %1 (%2)</source>
        <translation>VLAN %1 (%2)</translation>
    </message>
    <message>
        <source>Now in %1, controller and libvirt</source>
        <translation>Désormais dans %1, contrôleur et libvirt</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The controller refused to move port %1 from %2 to %3: %4.</source>
        <translation>Le contrôleur a refusé de déplacer le port %1 de %2 vers %3&#xa0;: %4.</translation>
    </message>
    <message>
        <source>Controller: port %1 moved from %2 to %3</source>
        <translation>Contrôleur&#xa0;: port %1 déplacé de %2 vers %3</translation>
    </message>
    <message>
        <source>A VLAN needs a name.</source>
        <translation>Un VLAN doit avoir un nom.</translation>
    </message>
    <message>
        <source>A VLAN id is between 1 and 4094.</source>
        <translation>Un identifiant de VLAN est compris entre 1 et 4094.</translation>
    </message>
    <message>
        <source>A logical switch named %1 already exists.</source>
        <translation>Un commutateur logique nommé %1 existe déjà.</translation>
    </message>
    <message>
        <source>VLAN %1 already exists: %2.</source>
        <translation>Le VLAN %1 existe déjà&#xa0;: %2.</translation>
    </message>
    <message>
        <source>Create VLAN %1 (%2)</source>
        <translation>Créer le VLAN %1 (%2)</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé</translation>
    </message>
    <message>
        <source>Not created: %1</source>
        <translation>Non créé&#xa0;: %1</translation>
    </message>
    <message>
        <source>The logical switch no longer exists.</source>
        <translation>Le commutateur logique n’existe plus.</translation>
    </message>
    <message numerus="yes">
        <source>%1 still has %n VM port(s): move or remove them first.</source>
        <translation>
            <numerusform>%1 a encore %n port de VM&#xa0;: déplacez-le ou supprimez-le d’abord.</numerusform>
            <numerusform>%1 a encore %n ports de VM&#xa0;: déplacez-les ou supprimez-les d’abord.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete VLAN %1 (%2)</source>
        <translation>Supprimer le VLAN %1 (%2)</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Supprimé</translation>
    </message>
    <message>
        <source>Not deleted: %1</source>
        <translation>Non supprimé&#xa0;: %1</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>erreur inconnue</translation>
    </message>
    <message>
        <source>the network changed meanwhile (%1)</source>
        <translation>le réseau a changé entre-temps (%1)</translation>
    </message>
    <message>
        <source>The VM has no NIC with MAC address %1.</source>
        <translation>La VM n’a pas de carte réseau d’adresse MAC %1.</translation>
    </message>
    <message>
        <source>NIC %1 has no Open vSwitch interface id: the controller cannot know it.</source>
        <translation>La carte réseau %1 n’a pas d’identifiant d’interface Open vSwitch&#xa0;: le contrôleur ne peut pas la connaître.</translation>
    </message>
    <message>
        <source>NIC %1 already has its port in the controller.</source>
        <translation>La carte réseau %1 a déjà son port dans le contrôleur.</translation>
    </message>
    <message>
        <source>A port named %1 already exists.</source>
        <translation>Un port nommé %1 existe déjà.</translation>
    </message>
    <message>
        <source>The network controller has no switch for the VLAN of NIC %1.</source>
        <translation>Le contrôleur réseau n’a pas de commutateur pour le VLAN de la carte réseau %1.</translation>
    </message>
    <message>
        <source>Add port of NIC %1</source>
        <translation>Ajout du port de la carte réseau %1</translation>
    </message>
    <message>
        <source>Controller: port %1 added to %2</source>
        <translation>Contrôleur : port %1 ajouté à %2</translation>
    </message>
    <message>
        <source>Not added: %1</source>
        <translation>Non ajouté : %1</translation>
    </message>
    <message>
        <source>Demo controller: stopped</source>
        <translation>Contrôleur de démo&#xa0;: arrêté</translation>
    </message>
    <message>
        <source>Demo controller: connecting</source>
        <translation>Contrôleur de démo&#xa0;: connexion</translation>
    </message>
    <message>
        <source>Demo controller: reading</source>
        <translation>Contrôleur de démo&#xa0;: lecture</translation>
    </message>
    <message>
        <source>Demo controller: simulated, in memory</source>
        <translation>Contrôleur de démo&#xa0;: simulé, en mémoire</translation>
    </message>
    <message>
        <source>Demo controller: unreachable</source>
        <translation>Contrôleur de démo&#xa0;: injoignable</translation>
    </message>
    <message>
        <source>No southbound database: port bindings and chassis are not shown.</source>
        <translation>Pas de base southbound&#xa0;: les rattachements de ports et les chassis ne sont pas affichés.</translation>
    </message>
    <message>
        <source>OVN southbound: %1</source>
        <translation>OVN southbound&#xa0;: %1</translation>
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
        <translation>Southbound non connectée%1</translation>
    </message>
    <message>
        <source>%1 belongs to %2: Vigie does not change it behind its owner&apos;s back. %3</source>
        <translation>%1 appartient à %2&#xa0;: Vigie ne le modifie pas dans le dos de son propriétaire. %3</translation>
    </message>
    <message>
        <source>The port %1</source>
        <translation>Le port %1</translation>
    </message>
    <message>
        <source>The switch %1</source>
        <translation>Le switch %1</translation>
    </message>
    <message>
        <source>Controller: port %1 moved from %2 to %3 (libvirt has nothing to change)</source>
        <translation>Contrôleur&#xa0;: port %1 déplacé de %2 vers %3 (rien à changer dans libvirt)</translation>
    </message>
    <message>
        <source>Controller: port %1 moved from %2 to %3 with the address %4; the guest takes it at its next DHCP renewal (libvirt has nothing to change)</source>
        <translation>Contrôleur&#xa0;: port %1 déplacé de %2 vers %3 avec l’adresse %4&#xa0;; l’invité la prend à son prochain renouvellement DHCP (rien à changer dans libvirt)</translation>
    </message>
    <message>
        <source>Controller: port %1 added to %2, in the isolation group %3</source>
        <translation>Contrôleur : port %1 ajouté à %2, dans le groupe d’isolement %3</translation>
    </message>
    <message>
        <source>with the address %1</source>
        <translation>avec l’adresse %1</translation>
    </message>
    <message>
        <source>gateway %1</source>
        <translation>passerelle %1</translation>
    </message>
    <message>
        <source>DNS %1</source>
        <translation>DNS %1</translation>
    </message>
    <message numerus="yes">
        <source>DHCP lease %n s</source>
        <translation>
            <numerusform>bail DHCP %n s</numerusform>
            <numerusform>bail DHCP %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::NetworkCorrelation</name>
    <message>
        <source>Port without VM</source>
        <translation>Port sans VM</translation>
    </message>
    <message>
        <source>NIC without port</source>
        <translation>Carte réseau sans port</translation>
    </message>
    <message>
        <source>VLAN differs</source>
        <translation>VLAN différent</translation>
    </message>
    <message>
        <source>Port %1 on switch %2 has no VM NIC plugged into it.</source>
        <translation>Aucune carte réseau de VM n’est branchée sur le port %1 du commutateur %2.</translation>
    </message>
    <message>
        <source>Port %1 on switch %2 is for VM %3, which has no NIC with that interface id.</source>
        <translation>Le port %1 du commutateur %2 est destiné à la VM %3, qui n’a aucune carte réseau avec cet identifiant d’interface.</translation>
    </message>
    <message>
        <source>NIC %1 of %2 (interface id %3) has no port in the controller.</source>
        <translation>La carte réseau %1 de %2 (identifiant d’interface %3) n’a pas de port dans le contrôleur.</translation>
    </message>
    <message>
        <source>NIC %1 of %2 is in VLAN %3 in libvirt but in VLAN %4 (switch %5) in the controller.</source>
        <translation>La carte réseau %1 de %2 est dans le VLAN %3 pour libvirt mais dans le VLAN %4 (commutateur %5) pour le contrôleur.</translation>
    </message>
    <message>
        <source>NIC %1 of %2 has no VLAN in libvirt but is in VLAN %3 (switch %4) in the controller.</source>
        <translation>La carte réseau %1 de %2 n’a pas de VLAN pour libvirt mais est dans le VLAN %3 (commutateur %4) pour le contrôleur.</translation>
    </message>
    <message>
        <source>Bound elsewhere</source>
        <translation>Rattaché ailleurs</translation>
    </message>
    <message>
        <source>Port unbound</source>
        <translation>Port non rattaché</translation>
    </message>
    <message>
        <source>%1 runs on its host, but its port %2 is bound to chassis %3: its traffic goes there.</source>
        <translation>%1 tourne sur son hôte, mais son port %2 est rattaché au chassis %3&#xa0;: son trafic part là-bas.</translation>
    </message>
    <message>
        <source>%1 is running, but no chassis has claimed its port %2: the NIC has no network. Is ovn-controller running on its host?</source>
        <translation>%1 est en marche, mais aucun chassis n’a pris son port %2&#xa0;: la carte réseau n’a pas de réseau. ovn-controller tourne-t-il sur son hôte&#xa0;?</translation>
    </message>
    <message>
        <source>Duplicate address</source>
        <translation>Adresse en double</translation>
    </message>
    <message>
        <source>Address outside subnet</source>
        <translation>Adresse hors du sous-réseau</translation>
    </message>
    <message>
        <source>No port security</source>
        <translation>Sans sécurité de port</translation>
    </message>
    <message>
        <source>Port %1 (%2) on switch %3 has %4, which port %5 has too: one of them gets no traffic.</source>
        <translation>Le port %1 (%2) du commutateur %3 a %4, que le port %5 a aussi : l’un des deux ne reçoit rien.</translation>
    </message>
    <message>
        <source>no VM</source>
        <translation>aucune VM</translation>
    </message>
    <message>
        <source>Port %1 (%2) has %3, outside the subnet %4 of switch %5: DHCP does not give it and its traffic is not routed.</source>
        <translation>Le port %1 (%2) a %3, hors du sous-réseau %4 du commutateur %5 : le DHCP ne la donne pas et son trafic n’est pas routé.</translation>
    </message>
    <message>
        <source>Port %1 of %2 has no port security: the VM can send from any MAC and IP address on switch %3.</source>
        <translation>Le port %1 de %2 n’a pas de sécurité de port : la VM peut émettre depuis n’importe quelle adresse MAC et IP sur le commutateur %3.</translation>
    </message>
    <message>
        <source>Outside its isolation</source>
        <translation>Hors de son isolement</translation>
    </message>
    <message>
        <source>%1 is a VM of tenant %2, which is isolated by port group %3, but its port %4 is not in the group: its traffic escapes the tenant&apos;s isolation.</source>
        <translation>%1 est une VM du locataire %2, isolé par le groupe de ports %3, mais son port %4 n&apos;est pas dans le groupe : son trafic échappe à l&apos;isolement du locataire.</translation>
    </message>
</context>
<context>
    <name>Vigie::NetworkMismatchModel</name>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Mismatch</source>
        <translation>Écart</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>NIC / port</source>
        <translation>Carte réseau / port</translation>
    </message>
    <message>
        <source>Switch</source>
        <translation>Commutateur</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
</context>
<context>
    <name>Vigie::NetworkPanel</name>
    <message>
        <source>&amp;New VLAN…</source>
        <translation>&amp;Nouveau VLAN…</translation>
    </message>
    <message>
        <source>&amp;Delete VLAN…</source>
        <translation>&amp;Supprimer le VLAN…</translation>
    </message>
    <message numerus="yes">
        <source>%n switch(es)</source>
        <translation>
            <numerusform>%n commutateur</numerusform>
            <numerusform>%n commutateurs</numerusform>
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
        <translation>Le contrôleur et libvirt sont d’accord.</translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n mismatch(es) between the controller and libvirt:</source>
        <translation>
            <numerusform>⚠ %n écart entre le contrôleur et libvirt&#xa0;:</numerusform>
            <numerusform>⚠ %n écarts entre le contrôleur et libvirt&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a VLAN first</source>
        <translation>Sélectionnez d’abord un VLAN</translation>
    </message>
    <message>
        <source>Cannot delete %1</source>
        <translation>Impossible de supprimer %1</translation>
    </message>
    <message>
        <source>Delete VLAN</source>
        <translation>Supprimer le VLAN</translation>
    </message>
    <message>
        <source>Delete VLAN %1 (%2) from the network controller?</source>
        <translation>Supprimer le VLAN %1 (%2) du contrôleur réseau&#xa0;?</translation>
    </message>
    <message>
        <source>Delete the logical switch %1 from the network controller?</source>
        <translation>Supprimer le commutateur logique %1 du contrôleur réseau&#xa0;?</translation>
    </message>
    <message>
        <source>It has no VM port. Its localnet port goes with it.</source>
        <translation>Il n’a aucun port de VM. Son port localnet est supprimé avec lui.</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Put the NIC in VLAN %1 in libvirt (the controller&apos;s)</source>
        <translation>Mettre la carte réseau dans le VLAN %1 côté libvirt (celui du contrôleur)</translation>
    </message>
    <message>
        <source>Move the port to VLAN %1 in the controller (libvirt&apos;s)</source>
        <translation>Déplacer le port vers le VLAN %1 dans le contrôleur (celui de libvirt)</translation>
    </message>
    <message>
        <source>Create its port in the controller</source>
        <translation>Créer son port dans le contrôleur</translation>
    </message>
    <message>
        <source>No network controller.
Connect to an OVN controller&apos;s databases, or start Vigie with --controller tcp:HOST:6641 or with --lab.</source>
        <translation>Pas de contrôleur réseau.
Connectez-vous aux bases d&apos;un contrôleur OVN, ou lancez Vigie avec --controller tcp:HÔTE:6641 ou avec --lab.</translation>
    </message>
    <message>
        <source>Connect to network &amp;controller…</source>
        <translation>Connexion au &amp;contrôleur réseau…</translation>
    </message>
    <message>
        <source>The port is no VM&apos;s NIC.</source>
        <translation>Le port n’est la carte réseau d’aucune VM.</translation>
    </message>
    <message>
        <source>Give the NIC another address…</source>
        <translation>Donner une autre adresse à la carte…</translation>
    </message>
    <message>
        <source>Turn port security on…</source>
        <translation>Activer la sécurité de port…</translation>
    </message>
    <message>
        <source>&amp;Switches</source>
        <translation>&amp;Commutateurs</translation>
    </message>
    <message>
        <source>&amp;Policy</source>
        <translation>&amp;Politique</translation>
    </message>
    <message>
        <source>Port groups and ACLs: the rules the controller applies to the VMs&apos; traffic, in words.</source>
        <translation>Groupes de ports et ACL : les règles que le contrôleur applique au trafic des VM, en clair.</translation>
    </message>
    <message>
        <source>&amp;Remove this isolation…</source>
        <translation>&amp;Supprimer cet isolement…</translation>
    </message>
    <message>
        <source>The VLAN (logical switch) whose addresses are listed</source>
        <translation>Le VLAN (commutateur logique) dont les adresses sont listées</translation>
    </message>
    <message>
        <source>&amp;VLAN:</source>
        <translation>&amp;VLAN&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Addresses</source>
        <translation>&amp;Adresses</translation>
    </message>
    <message>
        <source>A VLAN&apos;s subnet and every address: used (by which VM and NIC), free ranges, gateway, excluded.</source>
        <translation>Le sous-réseau d’un VLAN et chacune de ses adresses&#xa0;: utilisées (par quelle VM et quelle carte), plages libres, passerelle, exclues.</translation>
    </message>
    <message>
        <source>The NIC has no port any more.</source>
        <translation>La carte réseau n&apos;a plus de port.</translation>
    </message>
    <message>
        <source>Put the port into %1</source>
        <translation>Mettre le port dans %1</translation>
    </message>
    <message>
        <source>Remove this &amp;rule…</source>
        <translation>Supprimer cette &amp;règle…</translation>
    </message>
    <message>
        <source>This rule is a switch&apos;s, not an isolation&apos;s: change it where it was made.</source>
        <translation>Cette règle est celle d’un commutateur, pas d’un isolement&#xa0;: modifiez-la là où elle a été créée.</translation>
    </message>
    <message>
        <source>VLAN %1 · %2</source>
        <translation>VLAN %1 · %2</translation>
    </message>
    <message>
        <source>&amp;Assign an address…</source>
        <translation>&amp;Attribuer une adresse…</translation>
    </message>
    <message>
        <source>Change the NIC&apos;s address: a free one is offered, a typed one is checked.</source>
        <translation>Changer l’adresse de la carte&#xa0;: une adresse libre est proposée, une adresse saisie est vérifiée.</translation>
    </message>
    <message>
        <source>&amp;Copy %1</source>
        <translation>&amp;Copier %1</translation>
    </message>
    <message>
        <source>Edit su&amp;bnet…</source>
        <translation>Modifier le sous-&amp;réseau…</translation>
    </message>
    <message>
        <source>Choose a VLAN first</source>
        <translation>Choisissez d&apos;abord un VLAN</translation>
    </message>
    <message>
        <source>The VLAN&apos;s subnet, excluded addresses, gateway, DNS servers and DHCP lease</source>
        <translation>Le sous-réseau du VLAN, les adresses exclues, la passerelle, les serveurs DNS et le bail DHCP</translation>
    </message>
</context>
<context>
    <name>Vigie::NewVmDialog</name>
    <message>
        <source>&amp;Start it once created</source>
        <translation>&amp;La démarrer une fois créée</translation>
    </message>
    <message>
        <source>New VM from %1</source>
        <translation>Nouvelle VM depuis %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>&amp;Locataire :</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Hôte :</translation>
    </message>
    <message>
        <source>VLAN:</source>
        <translation>VLAN :</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Taille :</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Créer</translation>
    </message>
    <message>
        <source>A name starts with a letter or digit, then letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos; (64 at most).</source>
        <translation>Un nom commence par une lettre ou un chiffre, suivi de lettres, chiffres, « . », « _ » ou « - » (64 au plus).</translation>
    </message>
    <message>
        <source>%1 already has a VM named %2.</source>
        <translation>%1 a déjà une VM nommée %2.</translation>
    </message>
</context>
<context>
    <name>Vigie::NextBoot</name>
    <message>
        <source>no VLAN</source>
        <translation>aucun VLAN</translation>
    </message>
    <message>
        <source>VLAN %1</source>
        <translation>le VLAN %1</translation>
    </message>
    <message>
        <source>VLANs %1</source>
        <translation>les VLAN %1</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1&#xa0;Gio</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1&#xa0;Mio</translation>
    </message>
    <message>
        <source>NIC %1 added, in %2</source>
        <translation>carte %1 ajoutée, dans %2</translation>
    </message>
    <message>
        <source>NIC %1 in %2 (now %3)</source>
        <translation>carte %1 dans %2 (maintenant %3)</translation>
    </message>
    <message>
        <source>NIC %1 on %2 (now %3)</source>
        <translation>carte %1 sur %2 (maintenant %3)</translation>
    </message>
    <message>
        <source>NIC %1 removed</source>
        <translation>carte %1 retirée</translation>
    </message>
    <message>
        <source>%1 vCPUs (now %2)</source>
        <translation>%1 vCPU (maintenant %2)</translation>
    </message>
    <message>
        <source>%1 of memory (now %2)</source>
        <translation>%1 de mémoire (maintenant %2)</translation>
    </message>
</context>
<context>
    <name>Vigie::NicTableModel</name>
    <message>
        <source>%1, model %2</source>
        <translation>%1, modèle %2</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>MAC</source>
        <translation>MAC</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <source>Portgroup</source>
        <translation>Groupe de ports</translation>
    </message>
    <message>
        <source>VLAN</source>
        <translation>VLAN</translation>
    </message>
    <message>
        <source>OVS interface ID</source>
        <translation>ID d&apos;interface OVS</translation>
    </message>
    <message>
        <source>Wired by libvirt: no network controller port</source>
        <translation>Câblée par libvirt : pas de port dans le contrôleur réseau</translation>
    </message>
    <message>
        <source>%1 (OVN)</source>
        <translation>%1 (OVN)</translation>
    </message>
    <message>
        <source>Logical switch %1, port %2 (network controller)</source>
        <translation>Commutateur logique %1, port %2 (contrôleur réseau)</translation>
    </message>
    <message>
        <source>Owned by %1: read-only in Vigie.</source>
        <translation>Appartient à %1 : en lecture seule dans Vigie.</translation>
    </message>
    <message>
        <source>The port has no IP address in the controller</source>
        <translation>Le port n&apos;a pas d&apos;adresse IP dans le contrôleur</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>Binding unknown: Vigie does not read the controller&apos;s southbound database</source>
        <translation>Liaison inconnue : Vigie ne lit pas la base southbound du contrôleur</translation>
    </message>
    <message>
        <source>No chassis has claimed the port: the NIC has no network</source>
        <translation>Aucun châssis n&apos;a pris le port&#xa0;: la carte réseau n&apos;a pas de réseau</translation>
    </message>
    <message>
        <source>unbound</source>
        <translation>non lié</translation>
    </message>
    <message>
        <source>Bound to chassis %1, not the VM&apos;s host: its traffic goes there</source>
        <translation>Lié au châssis %1, pas à l&apos;hôte de la VM : son trafic part là-bas</translation>
    </message>
    <message>
        <source>%1 (elsewhere)</source>
        <translation>%1 (ailleurs)</translation>
    </message>
    <message>
        <source>Bound to chassis %1, the VM&apos;s host</source>
        <translation>Lié au châssis %1, l&apos;hôte de la VM</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>Adresses</translation>
    </message>
    <message>
        <source>Bound to</source>
        <translation>Lié à</translation>
    </message>
</context>
<context>
    <name>Vigie::NotificationBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source> (×%1)</source>
        <extracomment>A notification that came again: how many times in all (&quot;×3&quot;)</extracomment>
        <translation> (×%1)</translation>
    </message>
</context>
<context>
    <name>Vigie::OvnOwner</name>
    <message>
        <source>OpenStack Neutron</source>
        <translation>OpenStack Neutron</translation>
    </message>
    <message>
        <source>Change it through OpenStack (Horizon, or the openstack network / port commands): Neutron would revert a change made in OVN behind its back.</source>
        <translation>Modifiez-le par OpenStack (Horizon, ou les commandes openstack network / port)&#xa0;: Neutron annulerait un changement fait dans OVN dans son dos.</translation>
    </message>
</context>
<context>
    <name>Vigie::OvnPolicy</name>
    <message>
        <source>security group %1</source>
        <translation>groupe de sécurité %1</translation>
    </message>
    <message>
        <source>Neutron&apos;s default drop</source>
        <translation>rejet par défaut de Neutron</translation>
    </message>
    <message>
        <source>isolation of %1</source>
        <translation>isolement de %1</translation>
    </message>
</context>
<context>
    <name>Vigie::PolicyActions</name>
    <message>
        <source>Security &amp;policy</source>
        <translation>&amp;Politique de sécurité</translation>
    </message>
    <message>
        <source>The controller&apos;s security policy of the VM&apos;s NICs: port groups and their rules; tenant isolation.</source>
        <translation>La politique de sécurité du contrôleur pour les cartes réseau de la VM&#xa0;: groupes de ports et leurs règles&#xa0;; isolement de locataire.</translation>
    </message>
    <message>
        <source>Isolation of %1 changed</source>
        <translation>Isolement de %1 modifié</translation>
    </message>
    <message>
        <source>Isolation of %1 not changed</source>
        <translation>Isolement de %1 non modifié</translation>
    </message>
    <message>
        <source>NIC %1: wired by libvirt; the controller applies no policy to it.</source>
        <translation>Carte %1 : câblée par libvirt ; le contrôleur ne lui applique aucune politique.</translation>
    </message>
    <message>
        <source>NIC %1 · port %2 · switch %3</source>
        <translation>Carte %1 · port %2 · commutateur %3</translation>
    </message>
    <message>
        <source>  no rule: all traffic passes</source>
        <translation>  aucune règle : tout le trafic passe</translation>
    </message>
    <message>
        <source>  group %1</source>
        <translation>  groupe %1</translation>
    </message>
    <message>
        <source>  group %1 (%2)</source>
        <translation>  groupe %1 (%2)</translation>
    </message>
    <message>
        <source>  rules of switch %1</source>
        <translation>  règles du commutateur %1</translation>
    </message>
    <message>
        <source>Select a VM</source>
        <translation>Sélectionnez une VM</translation>
    </message>
    <message>
        <source>&amp;Show the policy of %1…</source>
        <translation>&amp;Afficher la politique de %1…</translation>
    </message>
    <message>
        <source>The network controller is not connected.</source>
        <translation>Le contrôleur réseau n’est pas connecté.</translation>
    </message>
    <message>
        <source>Isolate the &amp;tenant…</source>
        <translation>Isoler le &amp;locataire…</translation>
    </message>
    <message>
        <source>Isolate the &amp;tenant %1…</source>
        <translation>Isoler le &amp;locataire %1…</translation>
    </message>
    <message>
        <source>The selected VMs belong to several tenants.</source>
        <translation>Les VM sélectionnées appartiennent à plusieurs locataires.</translation>
    </message>
    <message>
        <source>The VM has no tenant.</source>
        <translation>La VM n’a pas de locataire.</translation>
    </message>
    <message>
        <source>%1 is isolated already.</source>
        <translation>%1 est déjà isolé.</translation>
    </message>
    <message>
        <source>Only the tenant&apos;s VMs may talk to each other (and to their gateways); the rest is dropped. VMs of the tenant placed later join.</source>
        <translation>Seules les VM du locataire peuvent communiquer entre elles (et avec leurs passerelles) ; le reste est rejeté. Les VM du locataire placées ensuite rejoignent le groupe.</translation>
    </message>
    <message>
        <source>Isolate the &amp;selected VMs…</source>
        <translation>Isoler les VM &amp;sélectionnées…</translation>
    </message>
    <message>
        <source>Only these VMs may talk to each other (and to their gateways); the rest is dropped.</source>
        <translation>Seules ces VM peuvent communiquer entre elles (et avec leurs passerelles) ; le reste est rejeté.</translation>
    </message>
    <message>
        <source>&amp;Allow into NIC %1…</source>
        <translation>&amp;Autoriser vers la carte %1…</translation>
    </message>
    <message>
        <source>&amp;Allow into %1…</source>
        <translation>&amp;Autoriser vers %1…</translation>
    </message>
    <message>
        <source>A port and protocol from a source (any, a subnet, an address set) reach the VM despite its isolation.</source>
        <translation>Un port et un protocole depuis une source (n’importe qui, un sous-réseau, un ensemble d’adresses) atteignent la VM malgré son isolement.</translation>
    </message>
    <message>
        <source>&amp;Remove the isolation of %1…</source>
        <translation>&amp;Supprimer l’isolement de %1…</translation>
    </message>
    <message>
        <source>Security policy of %1</source>
        <translation>Politique de sécurité de %1</translation>
    </message>
    <message>
        <source>The controller&apos;s rules that apply to each NIC, highest priority first: the first rule that matches a packet decides.</source>
        <translation>Les règles du contrôleur qui s’appliquent à chaque carte, la plus prioritaire d’abord&#xa0;: la première règle qui correspond à un paquet décide.</translation>
    </message>
    <message>
        <source>Isolate the selected VMs</source>
        <translation>Isoler les VM sélectionnées</translation>
    </message>
    <message>
        <source>Name of the isolated group (letters, digits, dashes):</source>
        <translation>Nom du groupe isolé (lettres, chiffres, tirets) :</translation>
    </message>
    <message>
        <source>Cannot isolate %1</source>
        <translation>Impossible d’isoler %1</translation>
    </message>
    <message>
        <source>Isolate %1</source>
        <translation>Isoler %1</translation>
    </message>
    <message>
        <source>One transaction writes these rows to the network controller. The rules follow the ports: they hold wherever the VMs run, during and after a migration.</source>
        <translation>Une seule transaction écrit ces lignes dans le contrôleur réseau. Les règles suivent les ports : elles valent où que tournent les VM, pendant et après une migration.</translation>
    </message>
    <message>
        <source>&amp;Isolate</source>
        <translation>&amp;Isoler</translation>
    </message>
    <message>
        <source>Allow into %1</source>
        <translation>Autoriser vers %1</translation>
    </message>
    <message>
        <source>One transaction adds this rule to the isolation group %1.</source>
        <translation>Une seule transaction ajoute cette règle au groupe d’isolement %1.</translation>
    </message>
    <message>
        <source>+ ACL %1 · priority %2 · %3 · %4</source>
        <translation>+ ACL %1 · priorité %2 · %3 · %4</translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation>&amp;Autoriser</translation>
    </message>
    <message>
        <source>Cannot remove the isolation</source>
        <translation>Impossible de supprimer l’isolement</translation>
    </message>
    <message>
        <source>Remove the isolation of %1</source>
        <translation>Supprimer l’isolement de %1</translation>
    </message>
    <message>
        <source>One transaction deletes the group; its rules go with it and its VMs are no longer isolated.</source>
        <translation>Une seule transaction supprime le groupe ; ses règles partent avec lui et ses VM ne sont plus isolées.</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Remove the rule “%1”…</source>
        <translation>Supprimer la règle «&#xa0;%1&#xa0;»…</translation>
    </message>
    <message>
        <source>A rule of the isolation %1 that applies to all its members.</source>
        <translation>Une règle de l’isolement %1 qui s’applique à tous ses membres.</translation>
    </message>
    <message>
        <source>The rule added into this NIC.</source>
        <translation>La règle ajoutée vers cette carte.</translation>
    </message>
    <message>
        <source>Cannot remove the rule</source>
        <translation>Impossible de supprimer la règle</translation>
    </message>
    <message>
        <source>Remove a rule of %1</source>
        <translation>Supprimer une règle de %1</translation>
    </message>
    <message>
        <source>One transaction takes this rule out of the isolation group %1; the isolation stays.</source>
        <translation>Une seule transaction retire cette règle du groupe d’isolement %1&#xa0;; l’isolement demeure.</translation>
    </message>
</context>
<context>
    <name>Vigie::PolicyModel</name>
    <message>
        <source>Vigie</source>
        <translation>Vigie</translation>
    </message>
    <message numerus="yes">
        <source>…and %n more</source>
        <translation>
            <numerusform>…et %n autre</numerusform>
            <numerusform>…et %n autres</numerusform>
        </translation>
    </message>
    <message>
        <source>switch %1</source>
        <translation>commutateur %1</translation>
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
        <translation>%1
%2 · priorité %3 · %4</translation>
    </message>
    <message>
        <source>Group / rule</source>
        <translation>Groupe / règle</translation>
    </message>
    <message>
        <source>Owner / action</source>
        <translation>Propriétaire / action</translation>
    </message>
    <message>
        <source>Ports / priority</source>
        <translation>Ports / priorité</translation>
    </message>
    <message>
        <source>Members / match</source>
        <translation>Membres / correspondance</translation>
    </message>
</context>
<context>
    <name>Vigie::PortAddressing</name>
    <message>
        <source>The network controller is not connected (%1).</source>
        <translation>Le contrôleur réseau n’est pas connecté (%1).</translation>
    </message>
    <message>
        <source>The NIC %1 has no port in the network controller: its address is libvirt&apos;s or the guest&apos;s.</source>
        <translation>La carte %1 n’a pas de port dans le contrôleur réseau&#xa0;: son adresse relève de libvirt ou de l’invité.</translation>
    </message>
    <message>
        <source>The port %1</source>
        <translation>Le port %1</translation>
    </message>
    <message>
        <source>The port %1 has no MAC address in the controller (addresses “%2”): set one there first.</source>
        <translation>Le port %1 n’a pas d’adresse MAC dans le contrôleur (addresses « %2 ») : définissez-en une d’abord.</translation>
    </message>
    <message>
        <source>The switch of this NIC has no subnet in the controller (other_config:subnet or DHCP options): there is no address to give.</source>
        <translation>Le commutateur de cette carte n’a pas de sous-réseau dans le contrôleur (other_config:subnet ou options DHCP)&#xa0;: il n’y a pas d’adresse à donner.</translation>
    </message>
    <message>
        <source>Assign address to NIC %1</source>
        <translation>Adresse de la carte %1</translation>
    </message>
    <message>
        <source>Controller: port %1 has the address %2; the guest takes it at its next DHCP exchange.</source>
        <translation>Contrôleur : le port %1 a l’adresse %2 ; l’invité la prend à son prochain échange DHCP.</translation>
    </message>
    <message>
        <source>Controller: port %1 has the address %2 (was %3); the guest takes it at its next DHCP renewal.</source>
        <translation>Contrôleur : le port %1 a l’adresse %2 (au lieu de %3) ; l’invité la prend à son prochain renouvellement DHCP.</translation>
    </message>
    <message>
        <source>Port security on NIC %1</source>
        <translation>Sécurité de port de la carte %1</translation>
    </message>
    <message>
        <source>The port %1 has no IP address: assign one first, port security then follows it.</source>
        <translation>Le port %1 n’a pas d’adresse IP : attribuez-en une d’abord, la sécurité de port la suit alors.</translation>
    </message>
    <message>
        <source>Controller: port %1 now lets through only %2.</source>
        <translation>Contrôleur : le port %1 ne laisse plus passer que %2.</translation>
    </message>
    <message>
        <source>The controller refused: %1. Nothing was changed.</source>
        <translation>Le contrôleur a refusé : %1. Rien n’a été modifié.</translation>
    </message>
</context>
<context>
    <name>Vigie::PortIsolation</name>
    <message>
        <source>%1 (%2): its port is %3&apos;s; its security groups are set there.</source>
        <translation>%1 (%2) : son port appartient à %3 ; ses groupes de sécurité se règlent là-bas.</translation>
    </message>
    <message>
        <source>%1 (%2): its port has no IP address in the controller, so the group&apos;s members cannot reach it; assign one (VM › IP address).</source>
        <translation>%1 (%2) : son port n’a pas d’adresse IP dans le contrôleur, les membres du groupe ne peuvent donc pas l’atteindre ; attribuez-en une (VM › Adresse IP).</translation>
    </message>
    <message>
        <source>The network controller is not connected (%1).</source>
        <translation>Le contrôleur réseau n’est pas connecté (%1).</translation>
    </message>
    <message>
        <source>An isolation needs a name.</source>
        <translation>Un isolement a besoin d’un nom.</translation>
    </message>
    <message>
        <source>None of these VMs has a port in the network controller that Vigie may put in a group: their NICs are wired by libvirt, or their ports are another system&apos;s.</source>
        <translation>Aucune de ces VM n’a dans le contrôleur réseau de port que Vigie puisse mettre dans un groupe&#xa0;: leurs cartes sont câblées par libvirt, ou leurs ports appartiennent à un autre système.</translation>
    </message>
    <message>
        <source>The port group %1 already exists: remove that isolation first, or choose another name.</source>
        <translation>Le groupe de ports %1 existe déjà : supprimez d’abord cet isolement, ou choisissez un autre nom.</translation>
    </message>
    <message>
        <source>This port group no longer exists.</source>
        <translation>Ce groupe de ports n’existe plus.</translation>
    </message>
    <message>
        <source>The port group %1</source>
        <translation>Le groupe de ports %1</translation>
    </message>
    <message>
        <source>The port group %1 is not an isolation Vigie made: change it where it was made.</source>
        <translation>Le groupe de ports %1 n’est pas un isolement créé par Vigie : modifiez-le là où il a été créé.</translation>
    </message>
    <message numerus="yes">
        <source>+ port group %1 (%n port(s): %2)</source>
        <translation>
            <numerusform>+ groupe de ports %1 (%n port : %2)</numerusform>
            <numerusform>+ groupe de ports %1 (%n ports : %2)</numerusform>
        </translation>
    </message>
    <message>
        <source>+ ACL %1 · priority %2 · %3 · %4</source>
        <translation>+ ACL %1 · priorité %2 · %3 · %4</translation>
    </message>
    <message>
        <source>  VMs of %1 placed later join the group.</source>
        <translation>  Les VM de %1 placées ensuite rejoignent le groupe.</translation>
    </message>
    <message>
        <source>  Note: %1</source>
        <translation>  Remarque : %1</translation>
    </message>
    <message numerus="yes">
        <source>- port group %1 (%n port(s))</source>
        <translation>
            <numerusform>- groupe de ports %1 (%n port)</numerusform>
            <numerusform>- groupe de ports %1 (%n ports)</numerusform>
        </translation>
    </message>
    <message>
        <source>- ACL %1 · priority %2 · %3 · %4</source>
        <translation>- ACL %1 · priorité %2 · %3 · %4</translation>
    </message>
    <message>
        <source>This NIC is not in an isolation Vigie made: nothing stops traffic to it, there is nothing to allow.</source>
        <translation>Cette carte n’est dans aucun isolement créé par Vigie&#xa0;: rien n’arrête le trafic vers elle, il n’y a rien à autoriser.</translation>
    </message>
    <message>
        <source>The protocol is tcp, udp or icmp.</source>
        <translation>Le protocole est tcp, udp ou icmp.</translation>
    </message>
    <message>
        <source>A port is between 1 and 65535.</source>
        <translation>Un port est compris entre 1 et 65535.</translation>
    </message>
    <message>
        <source>An address set is written $name (letters, digits, underscores).</source>
        <translation>Un ensemble d’adresses s’écrit $nom (lettres, chiffres, soulignés).</translation>
    </message>
    <message>
        <source>The controller has no address set %1.</source>
        <translation>Le contrôleur n’a pas d’ensemble d’adresses %1.</translation>
    </message>
    <message>
        <source>“%1” is not an IPv4 address or subnet (10.0.0.0/24), “any” or an address set ($name).</source>
        <translation>« %1 » n’est ni une adresse ou un sous-réseau IPv4 (10.0.0.0/24), ni « any », ni un ensemble d’adresses ($nom).</translation>
    </message>
    <message>
        <source>Allow into port %1</source>
        <translation>Autoriser vers le port %1</translation>
    </message>
    <message>
        <source>Controller: %1 (rule of %2, port %3)</source>
        <translation>Contrôleur : %1 (règle de %2, port %3)</translation>
    </message>
    <message>
        <source>Isolate %1</source>
        <translation>Isoler %1</translation>
    </message>
    <message numerus="yes">
        <source>Controller: port group %1 isolates %n port(s); traffic from outside the group is dropped.</source>
        <translation>
            <numerusform>Contrôleur : le groupe de ports %1 isole %n port ; le trafic venu d’ailleurs est rejeté.</numerusform>
            <numerusform>Contrôleur : le groupe de ports %1 isole %n ports ; le trafic venu d’ailleurs est rejeté.</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove isolation of %1</source>
        <translation>Supprimer l’isolement de %1</translation>
    </message>
    <message>
        <source>Controller: port group %1 and its rules removed.</source>
        <translation>Contrôleur : groupe de ports %1 et ses règles supprimés.</translation>
    </message>
    <message>
        <source>The controller refused: %1. Nothing was changed.</source>
        <translation>Le contrôleur a refusé : %1. Rien n’a été modifié.</translation>
    </message>
    <message>
        <source>This port no longer exists.</source>
        <translation>Ce port n&apos;existe plus.</translation>
    </message>
    <message>
        <source>The port %1</source>
        <translation>Le port %1</translation>
    </message>
    <message>
        <source>The port %1 is in %2 already.</source>
        <translation>Le port %1 est déjà dans %2.</translation>
    </message>
    <message>
        <source>Put port %1 into isolation %2</source>
        <translation>Mettre le port %1 dans l&apos;isolement %2</translation>
    </message>
    <message>
        <source>Controller: port %1 is in %2; the tenant&apos;s rules apply to it.</source>
        <translation>Contrôleur : le port %1 est dans %2 ; les règles du locataire s&apos;y appliquent.</translation>
    </message>
    <message>
        <source>This rule is no longer one of the group %1&apos;s.</source>
        <translation>Cette règle n’est plus une règle du groupe %1.</translation>
    </message>
    <message>
        <source>This rule</source>
        <translation>Cette règle</translation>
    </message>
    <message>
        <source>The port group %1 is not an isolation Vigie made: change its rules where it was made.</source>
        <translation>Le groupe de ports %1 n’est pas un isolement créé par Vigie&#xa0;: modifiez ses règles là où il a été créé.</translation>
    </message>
    <message>
        <source>This rule is part of the isolation itself: without it the group would not be isolated, or its members could not talk to each other. Remove the whole isolation instead.</source>
        <translation>Cette règle fait partie de l’isolement lui-même&#xa0;: sans elle le groupe ne serait plus isolé, ou ses membres ne pourraient plus communiquer entre eux. Supprimez plutôt l’isolement entier.</translation>
    </message>
    <message>
        <source>Remove a rule of %1</source>
        <translation>Supprimer une règle de %1</translation>
    </message>
    <message>
        <source>Controller: rule removed from %1: %2</source>
        <translation>Contrôleur&#xa0;: règle retirée de %1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Vigie::Preflight</name>
    <message>
        <source>Unknown host.</source>
        <translation>Hôte inconnu.</translation>
    </message>
    <message>
        <source>%1 is not connected (%2).</source>
        <translation>%1 n&apos;est pas connecté (%2).</translation>
    </message>
    <message>
        <source>%1 is in maintenance: nothing new is placed there.</source>
        <translation>%1 est en maintenance&#xa0;: aucune nouvelle VM n&apos;y est placée.</translation>
    </message>
    <message>
        <source>Not enough free memory on %1: %2 free, %3 needed.</source>
        <translation>Mémoire libre insuffisante sur %1&#xa0;: %2 libres, %3 nécessaires.</translation>
    </message>
    <message>
        <source>VLAN %1 (%2) is not available on %3.</source>
        <translation>Le VLAN %1 (%2) n&apos;est pas disponible sur %3.</translation>
    </message>
    <message>
        <source>The VM is no longer in the inventory.</source>
        <translation>La VM ne figure plus dans l&apos;inventaire.</translation>
    </message>
    <message>
        <source>%1 already runs on this host.</source>
        <translation>%1 tourne déjà sur cet hôte.</translation>
    </message>
    <message>
        <source>%1 (the source) is not connected.</source>
        <translation>%1 (la source) n&apos;est pas connecté.</translation>
    </message>
    <message>
        <source>Demo hosts and real hosts cannot exchange VMs.</source>
        <translation>Les hôtes de démo et les hôtes réels ne peuvent pas échanger de VM.</translation>
    </message>
    <message>
        <source>Different hypervisors: %1 here, %2 on %3.</source>
        <translation>Hyperviseurs différents&#xa0;: %1 ici, %2 sur %3.</translation>
    </message>
    <message>
        <source>The CPU of %1 lacks features of the CPU of %2, which the running VM may use.</source>
        <translation>Le processeur de %1 n’a pas toutes les fonctions du processeur de %2, que la VM en marche peut utiliser.</translation>
    </message>
    <message>
        <source>The CPU of %1 lacks features of the CPU of %2, which the running VM may use (%3).</source>
        <translation>Le processeur de %1 n’a pas toutes les fonctions du processeur de %2, que la VM en marche peut utiliser (%3).</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 is managed by OpenStack Nova, which will still record it on %2: Nova&apos;s own actions on it then fail. To move it with OpenStack&apos;s knowledge: openstack server migrate --live-migration --host %3 %4</source>
        <translation>%1 est gérée par OpenStack Nova, qui la croira toujours sur %2&#xa0;: les actions de Nova sur elle échoueront alors. Pour la déplacer au su d&apos;OpenStack&#xa0;: openstack server migrate --live-migration --host %3 %4</translation>
    </message>
    <message numerus="yes">
        <source>%n NIC(s) of %1 are ports of %2, which keeps them requested on the chassis of %3: Vigie does not rewrite its rows, so they carry no traffic on the destination until %2 binds them there.</source>
        <translation>
            <numerusform>%n carte réseau de %1 est un port de %2, qui la demande sur le châssis de %3&#xa0;: Vigie ne réécrit pas ses lignes, elle ne passera donc aucun trafic sur la destination tant que %2 ne l&apos;y aura pas liée.</numerusform>
            <numerusform>%n cartes réseau de %1 sont des ports de %2, qui les demande sur le châssis de %3&#xa0;: Vigie ne réécrit pas ses lignes, elles ne passeront donc aucun trafic sur la destination tant que %2 ne les y aura pas liées.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::PrometheusSource</name>
    <message>
        <source>Prometheus at %1 answered more than %2 MB: answer dropped</source>
        <translation>Prometheus (%1) a répondu plus de %2 Mo&#xa0;: réponse ignorée</translation>
    </message>
    <message>
        <source>Prometheus at %1 refused the credentials (HTTP %2)</source>
        <translation>Prometheus (%1) a refusé les identifiants (HTTP %2)</translation>
    </message>
    <message>
        <source>Prometheus at %1 did not answer within %2 s</source>
        <translation>Prometheus (%1) n&apos;a pas répondu en %2&#xa0;s</translation>
    </message>
    <message>
        <source>Prometheus at %1 cannot be reached: %2</source>
        <translation>Prometheus (%1) est injoignable&#xa0;: %2</translation>
    </message>
    <message>
        <source>Prometheus at %1 refused the query: %2 (%3)</source>
        <translation>Prometheus (%1) a refusé la requête&#xa0;: %2 (%3)</translation>
    </message>
    <message>
        <source>Prometheus at %1 answered HTTP %2</source>
        <translation>Prometheus (%1) a répondu HTTP %2</translation>
    </message>
    <message>
        <source>Prometheus at %1 answered something else than its API&apos;s JSON: %2</source>
        <translation>Prometheus (%1) a répondu autre chose que le JSON de son API&#xa0;: %2</translation>
    </message>
    <message>
        <source>Prometheus at %1 has no libvirt exporter series</source>
        <translation>Prometheus (%1) n&apos;a aucune série de l&apos;exporteur libvirt</translation>
    </message>
    <message numerus="yes">
        <source>Prometheus at %1: %n host(s) matched</source>
        <translation>
            <numerusform>Prometheus (%1)&#xa0;: %n hôte rapproché</numerusform>
            <numerusform>Prometheus (%1)&#xa0;: %n hôtes rapprochés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Prometheus at %1: %n host(s) matched; no node exporter matched, so the hosts&apos; CPU and memory are not shown</source>
        <translation>
            <numerusform>Prometheus (%1)&#xa0;: %n hôte rapproché&#xa0;; aucun exporteur de nœud (node exporter) rapproché, le processeur et la mémoire des hôtes ne sont donc pas affichés</numerusform>
            <numerusform>Prometheus (%1)&#xa0;: %n hôtes rapprochés&#xa0;; aucun exporteur de nœud (node exporter) rapproché, le processeur et la mémoire des hôtes ne sont donc pas affichés</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::QueryEdit</name>
    <message>
        <source>Left out of the search:
%1</source>
        <translation>Laissé hors de la recherche&#xa0;:
%1</translation>
    </message>
</context>
<context>
    <name>Vigie::QuotaBars</name>
    <message numerus="yes">
        <source>Quota of %1 (%n VM(s)):</source>
        <translation>
            <numerusform>Quota de %1 (%n VM)&#xa0;:</numerusform>
            <numerusform>Quota de %1 (%n VM)&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <source>vCPUs: %1 of %2</source>
        <translation>vCPU&#xa0;: %1 sur %2</translation>
    </message>
    <message>
        <source>vCPUs: %1, no limit</source>
        <translation>vCPU&#xa0;: %1, sans limite</translation>
    </message>
    <message>
        <source>Memory: %1 of %2</source>
        <translation>Mémoire&#xa0;: %1 sur %2</translation>
    </message>
    <message>
        <source>Memory: %1, no limit</source>
        <translation>Mémoire&#xa0;: %1, sans limite</translation>
    </message>
    <message>
        <source>Disk: %1 GiB of %2 GiB</source>
        <translation>Disque&#xa0;: %1 Gio sur %2 Gio</translation>
    </message>
    <message>
        <source>Disk: %1 GiB, no limit</source>
        <translation>Disque&#xa0;: %1 Gio, sans limite</translation>
    </message>
    <message>
        <source>Disk: %1 GiB (existing volumes not counted)</source>
        <translation>Disque&#xa0;: %1 Gio (volumes existants non comptés)</translation>
    </message>
    <message>
        <source>Disk: no limit</source>
        <translation>Disque&#xa0;: sans limite</translation>
    </message>
</context>
<context>
    <name>Vigie::QuotaDialog</name>
    <message>
        <source>no limit</source>
        <translation>sans limite</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> Gio</translation>
    </message>
    <message>
        <source>Tenant quotas</source>
        <translation>Quotas des locataires</translation>
    </message>
    <message>
        <source>What each tenant may hold, over all its VMs, running or not. New VMs beyond it are refused by the placement pre-flight. Disk is checked for the new VM&apos;s disk only: libvirt&apos;s definitions do not give the existing volumes&apos; sizes.</source>
        <translation>Ce que chaque locataire peut détenir, sur toutes ses VM, en marche ou non. Les nouvelles VM au-delà sont refusées par les vérifications de placement. Le disque n&apos;est vérifié que pour celui de la nouvelle VM : les définitions libvirt ne donnent pas la taille des volumes existants.</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>&amp;Locataire&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;vCPUs:</source>
        <translation>&amp;vCPU&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Memory:</source>
        <translation>&amp;Mémoire&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Disk:</source>
        <translation>&amp;Disque&#xa0;:</translation>
    </message>
</context>
<context>
    <name>Vigie::SavedSearches</name>
    <message>
        <source>Saved &amp;searches</source>
        <translation>&amp;Recherches enregistrées</translation>
    </message>
    <message>
        <source>Save search</source>
        <translation>Enregistrer la recherche</translation>
    </message>
    <message>
        <source>Name of the search “%1”:</source>
        <translation>Nom de la recherche «&#xa0;%1&#xa0;»&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Save current search…</source>
        <translation>&amp;Enregistrer la recherche en cours…</translation>
    </message>
    <message>
        <source>Type a search in the VM filter first</source>
        <translation>Saisissez d&apos;abord une recherche dans le filtre des VM</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
</context>
<context>
    <name>Vigie::SessionManager</name>
    <message>
        <source>Open demo datacenter</source>
        <translation>Ouvrir le centre de données de démonstration</translation>
    </message>
    <message>
        <source>Cannot open the demo datacenter</source>
        <translation>Impossible d&apos;ouvrir le centre de données de démonstration</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>Unreachable: %1</source>
        <translation>Injoignable&#xa0;: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Échec&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot connect to %1</source>
        <translation>Impossible de se connecter à %1</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <source>Defined</source>
        <translation>Définie</translation>
    </message>
    <message>
        <source>State changed</source>
        <translation>Changement d&apos;état</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Demandé</translation>
    </message>
    <message>
        <source>%1 is unreachable; Vigie keeps retrying</source>
        <translation>%1 est injoignable&#xa0;; Vigie continue de réessayer</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Supprimée</translation>
    </message>
    <message>
        <source>Undefined on the host</source>
        <translation>Supprimée de l&apos;hôte</translation>
    </message>
    <message>
        <source>%1 failed on %2</source>
        <translation>Échec de «&#xa0;%1&#xa0;» sur %2</translation>
    </message>
    <message>
        <source>No session for %1.</source>
        <translation>Aucune session pour %1.</translation>
    </message>
    <message>
        <source>VLAN %1 (%2)</source>
        <translation>VLAN %1 (%2)</translation>
    </message>
    <message>
        <source>Move NIC %1</source>
        <translation>Déplacement de la carte réseau %1</translation>
    </message>
    <message>
        <source>Now in %1</source>
        <translation>Désormais dans %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Not moved to %1: %2</source>
        <translation>Non déplacée vers %1 : %2</translation>
    </message>
    <message>
        <source>Create VM</source>
        <translation>Création de VM</translation>
    </message>
    <message>
        <source>Requested: %1 in VLAN %2 (%3)</source>
        <translation>Demandée : %1 dans le VLAN %2 (%3)</translation>
    </message>
    <message>
        <source>No network of %1 carries VLAN %2.</source>
        <translation>Aucun réseau de %1 ne porte le VLAN %2.</translation>
    </message>
    <message>
        <source>Created and started in %1</source>
        <translation>Créée et démarrée dans %1</translation>
    </message>
    <message>
        <source>Created in %1</source>
        <translation>Créée dans %1</translation>
    </message>
    <message>
        <source>Not created: %1</source>
        <translation>Non créée : %1</translation>
    </message>
    <message>
        <source>No demo network controller: %1</source>
        <translation>Pas de contrôleur réseau de démo&#xa0;: %1</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Refusée&#xa0;: %1</translation>
    </message>
    <message>
        <source>Edit tags</source>
        <translation>Modifier les étiquettes</translation>
    </message>
    <message>
        <source>add %1</source>
        <translation>ajout de %1</translation>
    </message>
    <message>
        <source>remove %1</source>
        <translation>retrait de %1</translation>
    </message>
    <message>
        <source>%1 is managed by OpenStack Nova, which owns its definition: Vigie does not write tags into it. Use Nova&apos;s server tags (openstack server set --tag).</source>
        <translation>%1 est gérée par OpenStack Nova, à qui sa définition appartient&#xa0;: Vigie n&apos;y écrit pas d&apos;étiquettes. Utilisez les étiquettes de serveur de Nova (openstack server set --tag).</translation>
    </message>
    <message>
        <source>Requested: %1</source>
        <translation>Demandé&#xa0;: %1</translation>
    </message>
    <message>
        <source>Metrics from Prometheus</source>
        <translation>Métriques de Prometheus</translation>
    </message>
    <message>
        <source>No metrics from Prometheus</source>
        <translation>Aucune métrique de Prometheus</translation>
    </message>
    <message>
        <source>Answering again: %1</source>
        <translation>Répond de nouveau&#xa0;: %1</translation>
    </message>
    <message>
        <source>Metrics source</source>
        <translation>Source des métriques</translation>
    </message>
    <message>
        <source>Prometheus at %1</source>
        <translation>Prometheus (%1)</translation>
    </message>
    <message>
        <source>Refused: its post-copy migration failed; only resuming the migration brings it back</source>
        <translation>Refusé&#xa0;: sa migration en post-copy a échoué&#xa0;; seule la reprise de la migration la ramène</translation>
    </message>
    <message>
        <source>Refused: it is in the post-copy phase of a migration</source>
        <translation>Refusé&#xa0;: elle est dans la phase post-copy d&apos;une migration</translation>
    </message>
    <message numerus="yes">
        <source>Waiting: %n host(s) start connecting every %1 ms</source>
        <translation>
            <numerusform>En attente&#xa0;: %n hôte commence à se connecter toutes les %1&#xa0;ms</numerusform>
            <numerusform>En attente&#xa0;: %n hôtes commencent à se connecter toutes les %1&#xa0;ms</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
</context>
<context>
    <name>Vigie::SubnetDialog</name>
    <message>
        <source>OVN&apos;s &amp;DHCP answers the VMs of this VLAN</source>
        <translation>Le &amp;DHCP d&apos;OVN répond aux VM de ce VLAN</translation>
    </message>
    <message>
        <source>Addressing of %1</source>
        <translation>Adressage de %1</translation>
    </message>
    <message>
        <source>The VLAN&apos;s IPv4 subnet (other_config:subnet): placement and address changes pick free addresses in it. The VMs&apos; addresses must stay inside it.</source>
        <translation>Le sous-réseau IPv4 du VLAN (other_config:subnet) : le placement et les changements d&apos;adresse y choisissent des adresses libres. Les adresses des VM doivent y rester.</translation>
    </message>
    <message>
        <source>optional, e.g. 10.50.0.2..10.50.0.9 10.50.0.20</source>
        <translation>facultatif, par ex. 10.50.0.2..10.50.0.9 10.50.0.20</translation>
    </message>
    <message>
        <source>Addresses never given to a VM (other_config:exclude_ips): single addresses and ranges written first..last, separated by spaces.</source>
        <translation>Adresses jamais données à une VM (other_config:exclude_ips) : adresses seules et plages écrites première..dernière, séparées par des espaces.</translation>
    </message>
    <message>
        <source>A DHCP_Options row: OVN itself answers each VM&apos;s DHCP request with the address its port has, the gateway and DNS servers below.</source>
        <translation>Une ligne DHCP_Options : OVN répond lui-même à la requête DHCP de chaque VM avec l&apos;adresse de son port, la passerelle et les serveurs DNS ci-dessous.</translation>
    </message>
    <message>
        <source>The default route the VMs get (options:router); OVN&apos;s DHCP answers from this address.</source>
        <translation>La route par défaut que reçoivent les VM (options:router) ; le DHCP d&apos;OVN répond depuis cette adresse.</translation>
    </message>
    <message>
        <source>optional, e.g. 10.10.0.53, 10.10.0.54</source>
        <translation>facultatif, par ex. 10.10.0.53, 10.10.0.54</translation>
    </message>
    <message>
        <source>DNS servers the VMs get (options:dns_server), separated by commas.</source>
        <translation>Serveurs DNS que reçoivent les VM (options:dns_server), séparés par des virgules.</translation>
    </message>
    <message>
        <source> s</source>
        <translation>&#xa0;s</translation>
    </message>
    <message>
        <source>How long a VM keeps its lease (options:lease_time); it renews at half of it, and takes changed options then. 86400 s (a day) is Neutron&apos;s default.</source>
        <translation>Durée pendant laquelle une VM garde son bail (options:lease_time) ; elle le renouvelle à mi-parcours et prend alors les options modifiées. 86400 s (un jour) est la valeur par défaut de Neutron.</translation>
    </message>
    <message>
        <source>&amp;Subnet:</source>
        <translation>&amp;Sous-réseau :</translation>
    </message>
    <message>
        <source>&amp;Excluded:</source>
        <translation>&amp;Exclues :</translation>
    </message>
    <message>
        <source>&amp;Gateway:</source>
        <translation>&amp;Passerelle :</translation>
    </message>
    <message>
        <source>D&amp;NS servers:</source>
        <translation>Serveurs D&amp;NS :</translation>
    </message>
    <message>
        <source>&amp;Lease:</source>
        <translation>&amp;Bail :</translation>
    </message>
    <message>
        <source>Written to the network controller in one transaction, shown first. The VMs keep their addresses; they take the new options at their next DHCP renewal.</source>
        <translation>Écrit dans le contrôleur réseau en une seule transaction, montrée d&apos;abord. Les VM gardent leurs adresses ; elles prennent les nouvelles options à leur prochain renouvellement DHCP.</translation>
    </message>
    <message>
        <source>&amp;Review…</source>
        <translation>&amp;Vérifier…</translation>
    </message>
</context>
<context>
    <name>Vigie::SubnetEditor</name>
    <message>
        <source>“%1” is neither an address nor a range (10.0.0.2..10.0.0.9).</source>
        <translation>« %1 » n&apos;est ni une adresse ni une plage (10.0.0.2..10.0.0.9).</translation>
    </message>
    <message>
        <source>The excluded %1 is outside the subnet %2.</source>
        <translation>L&apos;exclusion %1 est hors du sous-réseau %2.</translation>
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
        <translation>Le contrôleur réseau n’est pas connecté (%1).</translation>
    </message>
    <message>
        <source>The logical switch no longer exists.</source>
        <translation>Le commutateur logique n’existe plus.</translation>
    </message>
    <message>
        <source>The switch %1</source>
        <translation>Le switch %1</translation>
    </message>
    <message>
        <source>The DHCP options of %1</source>
        <translation>Les options DHCP de %1</translation>
    </message>
    <message>
        <source>%1 has an IPv6 subnet: Vigie shows it and edits IPv4 subnets only.</source>
        <translation>%1 a un sous-réseau IPv6 : Vigie l&apos;affiche et ne modifie que les sous-réseaux IPv4.</translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation>Rien à changer.</translation>
    </message>
    <message>
        <source>OVN&apos;s DHCP serves a subnet: give one.</source>
        <translation>Le DHCP d&apos;OVN sert un sous-réseau : indiquez-en un.</translation>
    </message>
    <message>
        <source>Vigie edits IPv4 subnets only.</source>
        <translation>Vigie ne modifie que les sous-réseaux IPv4.</translation>
    </message>
    <message>
        <source>%1 is not a network address: did you mean %2?</source>
        <translation>%1 n&apos;est pas une adresse de réseau : vouliez-vous dire %2 ?</translation>
    </message>
    <message numerus="yes">
        <source>%n port(s) have addresses outside %1: %2. Give them addresses in the new subnet first, or choose a subnet that holds them.</source>
        <translation>
            <numerusform>%n port a une adresse hors de %1 : %2. Donnez-lui d&apos;abord une adresse dans le nouveau sous-réseau, ou choisissez un sous-réseau qui la contient.</numerusform>
            <numerusform>%n ports ont des adresses hors de %1 : %2. Donnez-leur d&apos;abord des adresses dans le nouveau sous-réseau, ou choisissez un sous-réseau qui les contient.</numerusform>
        </translation>
    </message>
    <message>
        <source>Gateway: %1</source>
        <translation>Passerelle : %1</translation>
    </message>
    <message>
        <source>DNS: “%1” is not an IPv4 address.</source>
        <translation>DNS : « %1 » n&apos;est pas une adresse IPv4.</translation>
    </message>
    <message>
        <source>OVN&apos;s DHCP answers from an address of the subnet: give the gateway (the DHCP server uses its address).</source>
        <translation>Le DHCP d&apos;OVN répond depuis une adresse du sous-réseau : indiquez la passerelle (le serveur DHCP utilise son adresse).</translation>
    </message>
    <message>
        <source>The lease lasts from 1 s to %1 s.</source>
        <translation>Le bail dure de 1 s à %1 s.</translation>
    </message>
    <message>
        <source>These DHCP options also serve %1: change them there, or keep them.</source>
        <translation>Ces options DHCP servent aussi %1 : modifiez-les là-bas, ou gardez-les.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>subnet %1 → %2</source>
        <translation>sous-réseau %1 → %2</translation>
    </message>
    <message>
        <source>excluded %1 → %2</source>
        <translation>exclues %1 → %2</translation>
    </message>
    <message>
        <source>~ switch %1 · %2</source>
        <translation>~ commutateur %1 · %2</translation>
    </message>
    <message>
        <source>+ DHCP options %1 · gateway %2 · DNS %3 · lease %4</source>
        <translation>+ options DHCP %1 · passerelle %2 · DNS %3 · bail %4</translation>
    </message>
    <message>
        <source>gateway %1 → %2</source>
        <translation>passerelle %1 → %2</translation>
    </message>
    <message>
        <source>DNS %1 → %2</source>
        <translation>DNS %1 → %2</translation>
    </message>
    <message>
        <source>lease %1 → %2</source>
        <translation>bail %1 → %2</translation>
    </message>
    <message>
        <source>~ DHCP options · %1</source>
        <translation>~ options DHCP · %1</translation>
    </message>
    <message>
        <source>- DHCP options %1: the VMs of this VLAN get no DHCP answer any more; each keeps its address until its lease ends.</source>
        <translation>- options DHCP %1 : les VM de ce VLAN n&apos;ont plus de réponse DHCP ; chacune garde son adresse jusqu&apos;à la fin de son bail.</translation>
    </message>
    <message>
        <source>~ port %1 (%2) · served by these DHCP options</source>
        <translation>~ port %1 (%2) · servi par ces options DHCP</translation>
    </message>
    <message>
        <source>  The guests take the new options at their next renewal: within half their lease (%1).</source>
        <translation>  Les invités prennent les nouvelles options à leur prochain renouvellement : sous la moitié de leur bail (%1).</translation>
    </message>
    <message>
        <source>Addressing of %1</source>
        <translation>Adressage de %1</translation>
    </message>
    <message>
        <source>no subnet</source>
        <translation>pas de sous-réseau</translation>
    </message>
    <message>
        <source>%1, gateway %2, DHCP lease %3</source>
        <translation>%1, passerelle %2, bail DHCP %3</translation>
    </message>
    <message>
        <source>%1, no DHCP</source>
        <translation>%1, sans DHCP</translation>
    </message>
    <message>
        <source>The controller refused: %1. Nothing was changed.</source>
        <translation>Le contrôleur a refusé : %1. Rien n’a été modifié.</translation>
    </message>
    <message>
        <source>Now %1</source>
        <translation>Désormais %1</translation>
    </message>
</context>
<context>
    <name>Vigie::TagActions</name>
    <message>
        <source>&amp;Tags…</source>
        <translation>É&amp;tiquettes…</translation>
    </message>
    <message>
        <source>Add or remove tags on the selected VMs (kept in each domain&apos;s metadata)</source>
        <translation>Ajouter ou retirer des étiquettes sur les VM sélectionnées (gardées dans les métadonnées de chaque domaine)</translation>
    </message>
    <message>
        <source>Tags of %1 not changed</source>
        <translation>Étiquettes de %1 non modifiées</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Étiquettes</translation>
    </message>
    <message numerus="yes">
        <source>OpenStack Nova manages %n of the selected VMs: Nova owns their definition and Vigie does not write tags into it. Use Nova&apos;s server tags (openstack server set --tag).</source>
        <translation>
            <numerusform>OpenStack Nova gère %n des VM sélectionnées&#xa0;: leur définition appartient à Nova et Vigie n&apos;y écrit pas d&apos;étiquettes. Utilisez les étiquettes de serveur de Nova (openstack server set --tag).</numerusform>
            <numerusform>OpenStack Nova gère %n des VM sélectionnées&#xa0;: leur définition appartient à Nova et Vigie n&apos;y écrit pas d&apos;étiquettes. Utilisez les étiquettes de serveur de Nova (openstack server set --tag).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::TagsDialog</name>
    <message numerus="yes">
        <source>Tags of %n VM(s)</source>
        <translation>
            <numerusform>Étiquettes de %n VM</numerusform>
            <numerusform>Étiquettes de %n VM</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags of %1. Uncheck a tag to remove it.</source>
        <translation>Étiquettes de %1. Décochez une étiquette pour la retirer.</translation>
    </message>
    <message numerus="yes">
        <source>Tags of the %n selected VMs, with how many carry each. Uncheck a tag to remove it from all; check a partly carried one to add it to all.</source>
        <translation>
            <numerusform>Étiquettes de la VM sélectionnée. Décochez une étiquette pour la retirer.</numerusform>
            <numerusform>Étiquettes des %n VM sélectionnées, avec combien portent chacune. Décochez une étiquette pour la retirer de toutes&#xa0;; cochez-en une portée par certaines pour l&apos;ajouter à toutes.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation>%1 (%2 sur %3)</translation>
    </message>
    <message>
        <source>No tags yet</source>
        <translation>Aucune étiquette pour l&apos;instant</translation>
    </message>
    <message>
        <source>web, prod, pci-dss</source>
        <translation>web, prod, pci-dss</translation>
    </message>
    <message>
        <source>Separate tags with spaces or commas; %1. Stored in lower case.</source>
        <translation>Séparez les étiquettes par des espaces ou des virgules&#xa0;; %1. Enregistrées en minuscules.</translation>
    </message>
    <message>
        <source>&amp;Add tags:</source>
        <translation>&amp;Ajouter des étiquettes&#xa0;:</translation>
    </message>
    <message>
        <source>Left out, managed by OpenStack Nova (use Nova&apos;s server tags): %1</source>
        <translation>Laissées de côté, gérées par OpenStack Nova (utilisez les étiquettes de serveur de Nova)&#xa0;: %1</translation>
    </message>
    <message>
        <source>At most %1 tags per VM.</source>
        <translation>Au plus %1 étiquettes par VM.</translation>
    </message>
</context>
<context>
    <name>Vigie::TemplateDialog</name>
    <message>
        <source>VM template</source>
        <translation>Modèle de VM</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> Mio</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> Gio</translation>
    </message>
    <message>
        <source>no disk</source>
        <translation>sans disque</translation>
    </message>
    <message>
        <source>for example Debian 12</source>
        <translation>par exemple Debian 12</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>v&amp;CPUs:</source>
        <translation>v&amp;CPU :</translation>
    </message>
    <message>
        <source>&amp;Memory:</source>
        <translation>&amp;Mémoire :</translation>
    </message>
    <message>
        <source>System &amp;disk:</source>
        <translation>&amp;Disque système :</translation>
    </message>
    <message>
        <source>&amp;OS label:</source>
        <translation>&amp;Système d’exploitation :</translation>
    </message>
    <message>
        <source>The disk is created empty (qcow2) in the host&apos;s storage pool.</source>
        <translation>Le disque est créé vide (qcow2) dans le pool de stockage de l’hôte.</translation>
    </message>
    <message>
        <source>Give the template a name.</source>
        <translation>Donnez un nom au modèle.</translation>
    </message>
</context>
<context>
    <name>Vigie::TemplateListModel</name>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2&lt;br&gt;Drag onto a host of the topology, then onto a VLAN.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2&lt;br&gt;Glissez-le sur un hôte de la topologie, puis sur un VLAN.</translation>
    </message>
</context>
<context>
    <name>Vigie::TemplatePalette</name>
    <message>
        <source>Drag a template onto a host of the topology, then onto a VLAN.</source>
        <translation>Glissez un modèle sur un hôte de la topologie, puis sur un VLAN.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>New template…</source>
        <translation>Nouveau modèle…</translation>
    </message>
    <message>
        <source>Edit template…</source>
        <translation>Modifier le modèle…</translation>
    </message>
    <message>
        <source>Duplicate template</source>
        <translation>Dupliquer le modèle</translation>
    </message>
    <message>
        <source>Remove template</source>
        <translation>Supprimer le modèle</translation>
    </message>
    <message>
        <source>Restore the default templates</source>
        <translation>Rétablir les modèles par défaut</translation>
    </message>
    <message>
        <source>Drag onto a host</source>
        <translation>Glisser sur un hôte</translation>
    </message>
    <message>
        <source>New template</source>
        <translation>Nouveau modèle</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (copie)</translation>
    </message>
    <message>
        <source>Remove the template %1?</source>
        <translation>Supprimer le modèle %1 ?</translation>
    </message>
    <message>
        <source>Replace your templates with the default ones?</source>
        <translation>Remplacer vos modèles par ceux par défaut ?</translation>
    </message>
</context>
<context>
    <name>Vigie::TenantQuotas</name>
    <message numerus="yes">
        <source>quota: %n vCPU(s) left of %1</source>
        <translation>
            <numerusform>quota&#xa0;: %n vCPU restant sur %1</numerusform>
            <numerusform>quota&#xa0;: %n vCPU restants sur %1</numerusform>
        </translation>
    </message>
    <message>
        <source>quota: %1 of memory left of %2</source>
        <translation>quota&#xa0;: %1 de mémoire restant sur %2</translation>
    </message>
    <message>
        <source>quota: %1 GiB of disk left of %2 GiB</source>
        <translation>quota&#xa0;: %1 Gio de disque restant sur %2 Gio</translation>
    </message>
</context>
<context>
    <name>Vigie::TenantView</name>
    <message>
        <source>&amp;Tenant</source>
        <translation>&amp;Locataire</translation>
    </message>
    <message>
        <source>Show one tenant&apos;s VMs, VLANs and share of the hosts, or every tenant</source>
        <translation>Afficher les VM, VLAN et la part des hôtes d&apos;un locataire, ou de tous</translation>
    </message>
    <message>
        <source>&amp;All tenants</source>
        <translation>&amp;Tous les locataires</translation>
    </message>
    <message>
        <source>No VM names a tenant</source>
        <translation>Aucune VM ne nomme de locataire</translation>
    </message>
    <message>
        <source>&amp;Quotas…</source>
        <translation>&amp;Quotas…</translation>
    </message>
    <message>
        <source>Set what each tenant may hold: vCPUs, memory, disk</source>
        <translation>Fixer ce que chaque locataire peut détenir : vCPU, mémoire, disque</translation>
    </message>
    <message>
        <source>Tenant %1</source>
        <translation>Locataire %1</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>lecture seule</translation>
    </message>
    <message>
        <source>%1 — Vigie</source>
        <translation>%1 — Vigie</translation>
    </message>
    <message>
        <source>Vigie — private cloud console (read-only)</source>
        <translation>Vigie — console de cloud privé (lecture seule)</translation>
    </message>
    <message>
        <source>Vigie — private cloud console</source>
        <translation>Vigie — console de cloud privé</translation>
    </message>
    <message>
        <source>Every libvirt connection is read-only: the hypervisors refuse every change made through them.</source>
        <translation>Toutes les connexions libvirt sont en lecture seule : les hyperviseurs refusent toute modification faite par elles.</translation>
    </message>
</context>
<context>
    <name>Vigie::TopVmsModel</name>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
</context>
<context>
    <name>Vigie::TopologyDragController</name>
    <message>
        <source>New VM: %1</source>
        <translation>Nouvelle VM : %1</translation>
    </message>
    <message>
        <source>Drag onto a VLAN</source>
        <translation>Glissez-la sur un VLAN</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; on %2&lt;br&gt;%3&lt;br&gt;Drag onto a VLAN lane: the new VM&apos;s NIC joins it.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; sur %2&lt;br&gt;%3&lt;br&gt;Glissez-la sur la ligne d’un VLAN&#xa0;: la carte réseau de la nouvelle VM le rejoint.</translation>
    </message>
    <message>
        <source>%1 is an overlay network: Vigie moves NICs between VLANs only. Attach the VM to it in the network controller.</source>
        <translation>%1 est un réseau overlay&#xa0;: Vigie ne déplace les cartes réseau qu’entre VLAN. Rattachez la VM à ce réseau dans le contrôleur réseau.</translation>
    </message>
    <message>
        <source>%1 is not connected.</source>
        <translation>%1 n’est pas connecté.</translation>
    </message>
    <message>
        <source>The new VM already waits here: drag it onto a VLAN.</source>
        <translation>La nouvelle VM attend déjà ici : glissez-la sur un VLAN.</translation>
    </message>
    <message>
        <source>Drop the template on a host first, then drag the new VM onto a VLAN.</source>
        <translation>Déposez d’abord le modèle sur un hôte, puis glissez la nouvelle VM sur un VLAN.</translation>
    </message>
    <message>
        <source>VLAN %1 is not available on %2.</source>
        <translation>Le VLAN %1 n&apos;est pas disponible sur %2.</translation>
    </message>
    <message>
        <source>A NIC goes to a VLAN: drag the VM itself to migrate it.</source>
        <translation>Une carte réseau va dans un VLAN&#xa0;: glissez la VM elle-même pour la migrer.</translation>
    </message>
    <message numerus="yes">
        <source>None of the %n VM(s) can go: %1</source>
        <translation>
            <numerusform>La VM ne peut pas y aller&#xa0;: %1</numerusform>
            <numerusform>Aucune des %n VM ne peut y aller&#xa0;: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Already on this host.</source>
        <translation>Déjà sur cet hôte.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 of %2 VMs can go; %3</source>
        <translation>Sur %2 VM, %1 peuvent y aller&#xa0;; %3</translation>
    </message>
    <message>
        <source>Drag one VM at a time to move its NIC to another VLAN.</source>
        <translation>Glisser une seule VM à la fois pour déplacer son interface réseau dans un autre VLAN.</translation>
    </message>
    <message>
        <source>This VM has no NIC.</source>
        <translation>Cette VM n&apos;a pas d&apos;interface réseau.</translation>
    </message>
    <message>
        <source>NIC %1 is already in VLAN %2.</source>
        <translation>La carte réseau %1 est déjà dans le VLAN %2.</translation>
    </message>
    <message>
        <source>%1 is already in VLAN %2.</source>
        <translation>%1 est déjà dans le VLAN %2.</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s)</source>
        <translation>
            <numerusform>%n VM</numerusform>
            <numerusform>%n VM</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, NIC %2</source>
        <translation>%1, carte réseau %2</translation>
    </message>
    <message>
        <source>Place on %1, then drag onto a VLAN</source>
        <translation>Placer sur %1, puis glisser sur un VLAN</translation>
    </message>
    <message>
        <source>Place on %1 instead</source>
        <translation>Placer plutôt sur %1</translation>
    </message>
    <message>
        <source>Create in VLAN %1 (%2)…</source>
        <translation>Créer dans le VLAN %1 (%2)…</translation>
    </message>
    <message>
        <source>Drop on a host with room for it</source>
        <translation>Déposez sur un hôte qui a la place</translation>
    </message>
    <message>
        <source>Drop on a VLAN to create the VM</source>
        <translation>Déposez sur un VLAN pour créer la VM</translation>
    </message>
    <message>
        <source>Migrate to %1 now, with the last options</source>
        <translation>Migrer vers %1 maintenant, avec les dernières options</translation>
    </message>
    <message>
        <source>Migrate to %1…</source>
        <translation>Migrer vers %1…</translation>
    </message>
    <message>
        <source>(score %1)</source>
        <translation>(note %1)</translation>
    </message>
    <message>
        <source>Move the NIC to VLAN %1 (%2)…</source>
        <translation>Déplacer l&apos;interface réseau dans le VLAN %1 (%2)…</translation>
    </message>
    <message>
        <source>Move NIC %1 to VLAN %2 (%3)…</source>
        <translation>Déplacer la carte réseau %1 dans le VLAN %2 (%3)…</translation>
    </message>
    <message>
        <source>Drop here to migrate to the best host, %1 (score %2)</source>
        <translation>Déposer ici pour migrer vers le meilleur hôte, %1 (note %2)</translation>
    </message>
    <message>
        <source>Drop on a host to migrate, on a VLAN to move the NIC</source>
        <translation>Déposer sur un hôte pour migrer, sur un VLAN pour déplacer l&apos;interface réseau</translation>
    </message>
</context>
<context>
    <name>Vigie::TopologyLegend</name>
    <message>
        <source>VMs coloured by tenant; an outline and a corner in a group&apos;s colour: isolated by Vigie.</source>
        <translation>VM colorées selon leur locataire&#xa0;; un contour et un coin de la couleur d’un groupe&#xa0;: isolée par Vigie.</translation>
    </message>
    <message>
        <source>Tenants</source>
        <translation>Locataires</translation>
    </message>
    <message numerus="yes">
        <source>+%n more</source>
        <translation>
            <numerusform>+%n autre</numerusform>
            <numerusform>+%n autres</numerusform>
        </translation>
    </message>
    <message>
        <source>(no tenant)</source>
        <translation>(aucun locataire)</translation>
    </message>
    <message>
        <source>isolated group</source>
        <translation>groupe isolé</translation>
    </message>
</context>
<context>
    <name>Vigie::TopologyScene</name>
    <message>
        <source>VLAN %1</source>
        <translation>VLAN %1</translation>
    </message>
    <message>
        <source>binding unknown</source>
        <translation>liaison inconnue</translation>
    </message>
    <message>
        <source>unbound: no network</source>
        <translation>non lié : pas de réseau</translation>
    </message>
    <message>
        <source>bound to chassis %1, not its host</source>
        <translation>lié au châssis %1, pas à son hôte</translation>
    </message>
    <message>
        <source>bound to chassis %1</source>
        <translation>lié au châssis %1</translation>
    </message>
    <message>
        <source>%1: port of %2, %3</source>
        <translation>%1 : port de %2, %3</translation>
    </message>
    <message>
        <source>overlay %1</source>
        <translation>overlay %1</translation>
    </message>
    <message>
        <source>policy: %1</source>
        <translation>politique : %1</translation>
    </message>
</context>
<context>
    <name>Vigie::TopologyView</name>
    <message>
        <source>The topology is too large to draw as a picture.</source>
        <translation>La topologie est trop grande pour être dessinée en image.</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>Impossible d&apos;écrire %1.</translation>
    </message>
    <message>
        <source>Vigie topology</source>
        <translation>Topologie Vigie</translation>
    </message>
    <message>
        <source>Hosts, VMs and VLANs exported from Vigie</source>
        <translation>Hôtes, VM et VLAN exportés depuis Vigie</translation>
    </message>
    <message>
        <source>Topology: drag a VM onto a host to migrate it, onto a VLAN to move its NIC. Ctrl+click or Ctrl+drag around VMs selects several. Wheel or + and - zoom, 0 is actual size, F fits.</source>
        <translation>Topologie&#xa0;: glisser une VM sur un hôte pour la migrer, sur un VLAN pour déplacer son interface réseau. Ctrl+clic ou Ctrl+glisser autour de VM en sélectionne plusieurs. Molette ou + et - pour zoomer, 0 pour la taille réelle, F pour tout voir.</translation>
    </message>
</context>
<context>
    <name>Vigie::UsageDialog</name>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Exporter en &amp;CSV…</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>Exporter en &amp;PDF…</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>Consommation</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Ce mois-ci</translation>
    </message>
    <message>
        <source>Previous month</source>
        <translation>Mois précédent</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Période choisie</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>P&amp;rices…</source>
        <translation>&amp;Tarifs…</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Période&#xa0;:</translation>
    </message>
    <message>
        <source>Tenant / VM</source>
        <translation>Locataire / VM</translation>
    </message>
    <message>
        <source>VMs</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>vCPU-h</source>
        <translation>vCPU-h</translation>
    </message>
    <message>
        <source>Memory GiB-h</source>
        <translation>Mémoire Gio-h</translation>
    </message>
    <message>
        <source>Disk GiB-h</source>
        <translation>Disque Gio-h</translation>
    </message>
    <message>
        <source>CPU-h used</source>
        <translation>CPU-h utilisées</translation>
    </message>
    <message>
        <source>Net in GB</source>
        <translation>Réseau entrant Go</translation>
    </message>
    <message>
        <source>Net out GB</source>
        <translation>Réseau sortant Go</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Computing the usage from the history…</source>
        <translation>Calcul de la consommation à partir de l’historique…</translation>
    </message>
    <message>
        <source>(no tenant)</source>
        <translation>(sans locataire)</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>No usage recorded in this period.</source>
        <translation>Aucune consommation enregistrée sur cette période.</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s), %1 in all; computed in %2 ms on the history&apos;s thread. vCPUs and memory count while a VM runs, disks while it exists.</source>
        <translation>
            <numerusform>%n VM, %1 au total&#xa0;; calculé en %2 ms sur le fil de l’historique. Les vCPU et la mémoire comptent tant qu’une VM tourne, les disques tant qu’elle existe.</numerusform>
            <numerusform>%n VM, %1 au total&#xa0;; calculé en %2 ms sur le fil de l’historique. Les vCPU et la mémoire comptent tant qu’une VM tourne, les disques tant qu’elle existe.</numerusform>
        </translation>
    </message>
    <message>
        <source>Usage — %1</source>
        <translation>Consommation — %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d’écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Export the usage report</source>
        <translation>Exporter le relevé de consommation</translation>
    </message>
    <message>
        <source>Export the usage as CSV</source>
        <translation>Exporter la consommation en CSV</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>Vigie::UsagePricesDialog</name>
    <message>
        <source>Usage prices</source>
        <translation>Tarifs de consommation</translation>
    </message>
    <message>
        <source>ISO 4217 code: EUR, USD, CHF…</source>
        <translation>Code ISO 4217&#xa0;: EUR, USD, CHF…</translation>
    </message>
    <message>
        <source>Your organisation, as printed on reports</source>
        <translation>Votre organisation, telle qu’imprimée sur les relevés</translation>
    </message>
    <message>
        <source>&amp;Currency:</source>
        <translation>&amp;Devise&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Issuer:</source>
        <translation>É&amp;metteur&#xa0;:</translation>
    </message>
    <message>
        <source>Per &amp;vCPU-hour:</source>
        <translation>Par heure de &amp;vCPU&#xa0;:</translation>
    </message>
    <message>
        <source>Per GiB-hour of &amp;memory:</source>
        <translation>Par Gio-heure de &amp;mémoire&#xa0;:</translation>
    </message>
    <message>
        <source>Per GiB-hour of &amp;disk:</source>
        <translation>Par Gio-heure de d&amp;isque&#xa0;:</translation>
    </message>
    <message>
        <source>Per GB of &amp;network (in and out):</source>
        <translation>Par Go de &amp;réseau (entrant et sortant)&#xa0;:</translation>
    </message>
</context>
<context>
    <name>Vigie::UsageReportDocument</name>
    <message>
        <source>%1 to %2</source>
        <translation>du %1 au %2</translation>
    </message>
    <message>
        <source>Usage statement</source>
        <translation>Relevé de consommation</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>Période&#xa0;:</translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation>Locataire&#xa0;:</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>Émis par</translation>
    </message>
    <message>
        <source>[Your organisation: set the issuer in Usage › Prices]</source>
        <translation>[Votre organisation&#xa0;: indiquez l’émetteur dans Consommation › Tarifs]</translation>
    </message>
    <message>
        <source>Issued on %1</source>
        <translation>Émis le %1</translation>
    </message>
    <message>
        <source>Amounts in %1</source>
        <translation>Montants en %1</translation>
    </message>
    <message>
        <source>Price list</source>
        <translation>Tarifs</translation>
    </message>
    <message>
        <source>vCPU-hour allocated</source>
        <translation>Heure de vCPU allouée</translation>
    </message>
    <message>
        <source>GiB-hour of memory allocated</source>
        <translation>Gio-heure de mémoire allouée</translation>
    </message>
    <message>
        <source>GiB-hour of disk allocated</source>
        <translation>Gio-heure de disque alloué</translation>
    </message>
    <message>
        <source>GB of network traffic (in and out)</source>
        <translation>Go de trafic réseau (entrant et sortant)</translation>
    </message>
    <message>
        <source>vCPUs and memory are billed while a VM runs, its disks while it exists (running or shut off). Figures come from Vigie&apos;s hourly history: an hour counts in the period it starts in; a VM that moved between hosts is counted once. Each amount is rounded half up to the cent per VM and resource; totals are the sums of the rounded amounts. 1 GB = 10^9 bytes, 1 GiB = 2^30 bytes.</source>
        <translation>Les vCPU et la mémoire sont facturés tant qu’une VM tourne, ses disques tant qu’elle existe (en marche ou arrêtée). Les chiffres viennent de l’historique horaire de Vigie&#xa0;: une heure compte dans la période où elle commence&#xa0;; une VM qui a changé d’hôte est comptée une fois. Chaque montant est arrondi au centime le plus proche (la moitié vers le haut) par VM et par ressource&#xa0;; les totaux sont les sommes des montants arrondis. 1 Go = 10^9 octets, 1 Gio = 2^30 octets.</translation>
    </message>
    <message>
        <source>VMs</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>vCPU-h</source>
        <translation>vCPU-h</translation>
    </message>
    <message>
        <source>Memory GiB-h</source>
        <translation>Mémoire Gio-h</translation>
    </message>
    <message>
        <source>Disk GiB-h</source>
        <translation>Disque Gio-h</translation>
    </message>
    <message>
        <source>CPU-h used</source>
        <translation>CPU-h utilisées</translation>
    </message>
    <message>
        <source>Net in GB</source>
        <translation>Réseau entrant Go</translation>
    </message>
    <message>
        <source>Net out GB</source>
        <translation>Réseau sortant Go</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>(no tenant)</source>
        <translation>(sans locataire)</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Récapitulatif</translation>
    </message>
    <message>
        <source>No usage recorded in this period.</source>
        <translation>Aucune consommation enregistrée sur cette période.</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Locataire</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Tenant %1</source>
        <translation>Locataire %1</translation>
    </message>
    <message>
        <source>vCPU-hours</source>
        <translation>Heures de vCPU</translation>
    </message>
    <message>
        <source>Memory GiB-hours</source>
        <translation>Mémoire, Gio-heures</translation>
    </message>
    <message>
        <source>Disk GiB-hours</source>
        <translation>Disque, Gio-heures</translation>
    </message>
    <message>
        <source>Network GB (in and out)</source>
        <translation>Réseau, Go (entrant et sortant)</translation>
    </message>
    <message>
        <source>Daily amount</source>
        <translation>Montant par jour</translation>
    </message>
    <message>
        <source>Virtual machines</source>
        <translation>Machines virtuelles</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>Page %1 sur %2</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>Impossible d’écrire %1</translation>
    </message>
</context>
<context>
    <name>Vigie::VlanDialog</name>
    <message>
        <source>New VLAN</source>
        <translation>Nouveau VLAN</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>facultatif</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>VLAN &amp;id:</source>
        <translation>&amp;Identifiant du VLAN&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>&amp;Locataire&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Physical network:</source>
        <translation>Réseau &amp;physique&#xa0;:</translation>
    </message>
    <message>
        <source>Creates a logical switch with a localnet port tagged with the VLAN id in the network controller.</source>
        <translation>Crée dans le contrôleur réseau un commutateur logique avec un port localnet marqué de l’identifiant du VLAN.</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Créer</translation>
    </message>
    <message>
        <source>The localnet port needs the physical network&apos;s name.</source>
        <translation>Le port localnet a besoin du nom du réseau physique.</translation>
    </message>
</context>
<context>
    <name>Vigie::VlanMoves</name>
    <message>
        <source>VLAN %1 (%2)</source>
        <translation>VLAN %1 (%2)</translation>
    </message>
    <message>
        <source>network %1</source>
        <translation>réseau %1</translation>
    </message>
    <message>
        <source>no VLAN</source>
        <translation>sans VLAN</translation>
    </message>
    <message>
        <source>%1 %2, no VLAN</source>
        <translation>%1 %2, sans VLAN</translation>
    </message>
    <message>
        <source>NIC %1 · %2 · %3</source>
        <translation>Carte réseau %1 · %2 · %3</translation>
    </message>
    <message>
        <source>Move to &amp;VLAN</source>
        <translation>Déplacer vers un &amp;VLAN</translation>
    </message>
    <message>
        <source>Moves a NIC of the selected VM into another VLAN.</source>
        <translation>Déplace une carte réseau de la VM sélectionnée dans un autre VLAN.</translation>
    </message>
    <message>
        <source>NIC %1 of %2 to VLAN %3</source>
        <translation>Carte réseau %1 de %2 vers le VLAN %3</translation>
    </message>
    <message>
        <source>Select one VM</source>
        <translation>Sélectionnez une seule VM</translation>
    </message>
    <message>
        <source>%1 has no NIC</source>
        <translation>%1 n’a pas de carte réseau</translation>
    </message>
    <message>
        <source>The NIC is already in this VLAN.</source>
        <translation>La carte réseau est déjà dans ce VLAN.</translation>
    </message>
    <message>
        <source>VLAN %1 is not available on %2.</source>
        <translation>Le VLAN %1 n’est pas disponible sur %2.</translation>
    </message>
    <message>
        <source>Move to VLAN %1</source>
        <translation>Déplacer vers le VLAN %1</translation>
    </message>
    <message>
        <source>Which NIC of %1?</source>
        <translation>Quelle carte réseau de %1 ?</translation>
    </message>
    <message>
        <source>Move to %1</source>
        <translation>Déplacer vers %1</translation>
    </message>
    <message>
        <source>Move the NIC %1 of %2 into %3?</source>
        <translation>Déplacer la carte réseau %1 de %2 dans %3 ?</translation>
    </message>
    <message>
        <source>The running VM changes network at once: its connections in the old VLAN are cut.</source>
        <translation>La VM en marche change de réseau immédiatement : ses connexions dans l’ancien VLAN sont coupées.</translation>
    </message>
    <message>
        <source>The VM is off: its definition changes.</source>
        <translation>La VM est arrêtée : sa définition est modifiée.</translation>
    </message>
    <message>
        <source>The NIC&apos;s port moves in the network controller first, in one transaction; then libvirt follows. If libvirt fails, the port is moved back.</source>
        <translation>Le port de la carte réseau est d’abord déplacé dans le contrôleur réseau, en une transaction&#xa0;; puis libvirt suit. Si libvirt échoue, le port est remis en place.</translation>
    </message>
    <message>
        <source>&amp;Move</source>
        <translation>&amp;Déplacer</translation>
    </message>
    <message>
        <source>Move the NIC %1 of %2 from %3 into %4?</source>
        <translation>Déplacer la carte réseau %1 de %2 de %3 vers %4&#xa0;?</translation>
    </message>
</context>
<context>
    <name>Vigie::VmAction</name>
    <message>
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <source>Shut down</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Reboot</source>
        <translation>Redémarrer</translation>
    </message>
    <message>
        <source>Force off</source>
        <translation>Forcer l&apos;arrêt</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Mettre en pause</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
</context>
<context>
    <name>Vigie::VmDetailsPane</name>
    <message>
        <source>Select a VM or a host to see its details.</source>
        <translation>Sélectionnez une VM ou un hôte pour en afficher les détails.</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Hôte&#xa0;:</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>État&#xa0;:</translation>
    </message>
    <message>
        <source>vCPUs:</source>
        <translation>vCPU&#xa0;:</translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation>Mémoire&#xa0;:</translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation>Locataire&#xa0;:</translation>
    </message>
    <message>
        <source>UUID:</source>
        <translation>UUID&#xa0;:</translation>
    </message>
    <message>
        <source>Disks:</source>
        <translation>Disques&#xa0;:</translation>
    </message>
    <message>
        <source>Network interfaces</source>
        <translation>Interfaces réseau</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Vue d&apos;ensemble</translation>
    </message>
    <message>
        <source>XML</source>
        <translation>XML</translation>
    </message>
    <message>
        <source>Connection:</source>
        <translation>Connexion&#xa0;:</translation>
    </message>
    <message>
        <source>CPU:</source>
        <translation>CPU&#xa0;:</translation>
    </message>
    <message>
        <source>Software:</source>
        <translation>Logiciels&#xa0;:</translation>
    </message>
    <message>
        <source>VMs:</source>
        <translation>VM&#xa0;:</translation>
    </message>
    <message>
        <source>vCPUs committed:</source>
        <translation>vCPU alloués&#xa0;:</translation>
    </message>
    <message>
        <source>Memory committed:</source>
        <translation>Mémoire allouée&#xa0;:</translation>
    </message>
    <message>
        <source>%1 (maximum %2)</source>
        <translation>%1 (maximum %2)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 × %2 (%3 MHz)</source>
        <translation>%1 × %2 (%3&#xa0;MHz)</translation>
    </message>
    <message>
        <source>%1 %2, libvirt %3</source>
        <translation>%1 %2, libvirt %3</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 of %2 running</source>
        <translation>%1 sur %2 en marche</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Mesures</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>Console</translation>
    </message>
    <message>
        <source>Display</source>
        <extracomment>The tab of a VM&apos;s graphical console (its VNC display)</extracomment>
        <translation>Affichage</translation>
    </message>
    <message>
        <source>Managed by:</source>
        <translation>Gérée par&#xa0;:</translation>
    </message>
    <message>
        <source>Vigie does not rewrite the definition or tags of a VM another system manages, and that system does not learn of a migration made here.</source>
        <translation>Vigie ne réécrit ni la définition ni les étiquettes d&apos;une VM qu&apos;un autre système gère, et ce système n&apos;apprend pas une migration faite ici.</translation>
    </message>
    <message>
        <source>OpenStack Nova: change it through OpenStack</source>
        <translation>OpenStack Nova&#xa0;: modifiez-la par OpenStack</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) selected; the details below are those of %1.</source>
        <translation>
            <numerusform>%n VM sélectionnée&#xa0;; les détails ci-dessous sont ceux de %1.</numerusform>
            <numerusform>%n VM sélectionnées&#xa0;; les détails ci-dessous sont ceux de %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>OS:</source>
        <translation>OS&#xa0;:</translation>
    </message>
    <message>
        <source>The guest OS its creator recorded (libosinfo metadata), not a check of what runs inside</source>
        <translation>L’OS invité noté par son créateur (métadonnées libosinfo), pas une vérification de ce qui tourne dedans</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>non noté</translation>
    </message>
    <message>
        <source>%1 · demo host</source>
        <translation>%1 · hôte de démonstration</translation>
    </message>
    <message>
        <source>At next boot:</source>
        <translation>Au prochain démarrage&#xa0;:</translation>
    </message>
    <message>
        <source>The saved definition differs from the running VM: these changes take effect when it is shut down and started again (a reboot from inside the guest is not enough).</source>
        <translation>La définition enregistrée diffère de la VM en marche&#xa0;: ces changements prennent effet quand elle est arrêtée puis démarrée (un redémarrage depuis l’invité ne suffit pas).</translation>
    </message>
</context>
<context>
    <name>Vigie::VmFilterBar</name>
    <message>
        <source>Filter VMs: words, or host: tenant: state: vlan: tag: mem&gt;8G vcpus&gt;=4 (Ctrl+F)</source>
        <translation>Filtrer les VM&#xa0;: mots, ou host: tenant: state: vlan: tag: mem&gt;8G vcpus&gt;=4 (Ctrl+F)</translation>
    </message>
    <message>
        <source>Filters the VM table and highlights the matching VMs in the topology</source>
        <translation>Filtre la table des VM et met en évidence les VM correspondantes dans la topologie</translation>
    </message>
    <message>
        <source>Show only VMs in this state</source>
        <translation>N&apos;afficher que les VM dans cet état</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Tous les états</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n VM(s) shown</source>
        <translation>
            <numerusform>%1 sur %n VM affichées</numerusform>
            <numerusform>%1 sur %n VM affichées</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Vigie::VmInfo</name>
    <message>
        <source>%1 is managed by OpenStack Nova: Vigie does not rewrite its definition behind Nova&apos;s back (Nova would undo it, or lose track of the VM). Change it through OpenStack.</source>
        <translation>%1 est gérée par OpenStack Nova&#xa0;: Vigie ne réécrit pas sa définition dans le dos de Nova (Nova l’annulerait, ou perdrait la trace de la VM). Modifiez-la par OpenStack.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>Vigie::VmQuery</name>
    <message>
        <source>The search is %1 characters long; at most %2 are read. Nothing is filtered.</source>
        <translation>La recherche fait %1 caractères&#xa0;; au plus %2 sont lus. Rien n&apos;est filtré.</translation>
    </message>
    <message>
        <source>unknown field “%1” — fields: %2</source>
        <translation>champ inconnu «&#xa0;%1&#xa0;» — champs&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>only mem and vcpus compare with &lt;, &lt;=, &gt; or &gt;=</source>
        <translation>seuls mem et vcpus se comparent avec &lt;, &lt;=, &gt; ou &gt;=</translation>
    </message>
    <message>
        <source>~ (regular expression) applies to name, title, host, tenant, vlan, tag and ip</source>
        <translation>~ (expression régulière) s&apos;applique à name, title, host, tenant, vlan, tag et ip</translation>
    </message>
    <message>
        <source>bad regular expression (%1 at character %2)</source>
        <translation>expression régulière incorrecte (%1 au caractère %2)</translation>
    </message>
    <message>
        <source>“%1” is not a size (examples: 512M, 8G, 1.5T; a bare number is GiB)</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas une taille (exemples&#xa0;: 512M, 8G, 1.5T&#xa0;; un nombre seul est en Gio)</translation>
    </message>
    <message>
        <source>“%1” is not a number of vCPUs</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un nombre de vCPU</translation>
    </message>
    <message>
        <source>unknown state — states: %1</source>
        <translation>état inconnu — états&#xa0;: %1</translation>
    </message>
    <message>
        <source>Words match name, title, host, tenant, state, VLAN, address and tags; all must match.
Fields: host:par-hv01 tenant:acme state:running vlan:200 tag:web ip:10.0.1 title:cache
Sizes and counts: mem&gt;8G mem&lt;=512M vcpus&gt;=4 (a bare size is GiB)
Regular expression: name~^web-[0-9]+$ · Quotes: tenant:&quot;banque lumière&quot;
Negation: -state:running or !tag:web</source>
        <translation>Les mots cherchent dans le nom, le titre, l&apos;hôte, le locataire, l&apos;état, les VLAN, les adresses et les étiquettes&#xa0;; tous doivent correspondre.
Champs&#xa0;: host:par-hv01 tenant:acme state:running vlan:200 tag:web ip:10.0.1 title:cache
Tailles et nombres&#xa0;: mem&gt;8G mem&lt;=512M vcpus&gt;=4 (une taille seule est en Gio)
Expression régulière&#xa0;: name~^web-[0-9]+$ · Guillemets&#xa0;: tenant:&quot;banque lumière&quot;
Négation&#xa0;: -state:running ou !tag:web</translation>
    </message>
</context>
<context>
    <name>Vigie::VmSelection</name>
    <message>
        <source>%1 is hidden by the filter</source>
        <translation>%1 est masquée par le filtre</translation>
    </message>
    <message>
        <source>Clear the filter to see it in the table.</source>
        <translation>Effacez le filtre pour la voir dans le tableau.</translation>
    </message>
</context>
<context>
    <name>Vigie::VmState</name>
    <message>
        <source>No state</source>
        <extracomment>Virtual machine state: libvirt reports no state</extracomment>
        <translation>Aucun état</translation>
    </message>
    <message>
        <source>Running</source>
        <extracomment>Virtual machine state</extracomment>
        <translation>En marche</translation>
    </message>
    <message>
        <source>Blocked</source>
        <extracomment>Virtual machine state: blocked on a resource</extracomment>
        <translation>Bloquée</translation>
    </message>
    <message>
        <source>Paused</source>
        <extracomment>Virtual machine state: paused by the user or libvirt</extracomment>
        <translation>En pause</translation>
    </message>
    <message>
        <source>Shutting down</source>
        <extracomment>Virtual machine state: the guest is shutting down</extracomment>
        <translation>Arrêt en cours</translation>
    </message>
    <message>
        <source>Shut off</source>
        <extracomment>Virtual machine state: not running</extracomment>
        <translation>Arrêtée</translation>
    </message>
    <message>
        <source>Crashed</source>
        <extracomment>Virtual machine state</extracomment>
        <translation>Plantée</translation>
    </message>
    <message>
        <source>Suspended</source>
        <extracomment>Virtual machine state: suspended by guest power management (pmsuspended)</extracomment>
        <translation>Suspendue</translation>
    </message>
</context>
<context>
    <name>Vigie::VmTableModel</name>
    <message>
        <source>%1 MiB</source>
        <translation>%1&#xa0;Mio</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1&#xa0;Gio</translation>
    </message>
    <message>
        <source>%1 TiB</source>
        <translation>%1&#xa0;Tio</translation>
    </message>
    <message>
        <source>%1 (VLAN %2)</source>
        <translation>%1 (VLAN %2)</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>vCPUs</source>
        <translation>vCPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <source>VLANs</source>
        <translation>VLAN</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Locataire</translation>
    </message>
    <message>
        <source>No CPU figures yet</source>
        <translation>Pas encore de mesure CPU</translation>
    </message>
    <message>
        <source>CPU over the last minute: mean %1, min %2, max %3</source>
        <translation>CPU sur la dernière minute : moyenne %1, min. %2, max. %3</translation>
    </message>
    <message>
        <source>Stale since %1</source>
        <translation>Mesures figées depuis %1</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%1: %2 (port %3 of %4)</source>
        <translation>%1 : %2 (port %3 de %4)</translation>
    </message>
    <message>
        <source>No address known from the network controller</source>
        <translation>Aucune adresse connue du contrôleur réseau</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>Adresses</translation>
    </message>
    <message>
        <source>  policy: %1</source>
        <translation>  politique : %1</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Étiquettes</translation>
    </message>
    <message>
        <source>%1 (migrating)</source>
        <extracomment>VM state while a live migration moves it, e.g. &quot;Running (migrating)&quot;</extracomment>
        <translation>%1 (en migration)</translation>
    </message>
    <message>
        <source>%1 (migration failed: resume)</source>
        <extracomment>VM state: paused by a migration that did not complete; resuming it is the way back</extracomment>
        <translation>%1 (migration échouée&#xa0;: reprendre)</translation>
    </message>
    <message>
        <source>%1 (post-copy failed, stalled on %2 too: resume the migration)</source>
        <extracomment>VM state: its migration failed after the switchover, e.g. &quot;Paused (post-copy failed, stalled on hv2 too: resume the migration)&quot;</extracomment>
        <translation>%1 (échec du post-copy, bloquée aussi sur %2&#xa0;: reprenez la migration)</translation>
    </message>
    <message>
        <source>the destination</source>
        <translation>la destination</translation>
    </message>
</context>
<context>
    <name>Vigie::VmTags</name>
    <message>
        <source>a tag cannot be empty</source>
        <translation>une étiquette ne peut pas être vide</translation>
    </message>
    <message>
        <source>“%1…” is longer than %2 characters</source>
        <translation>«&#xa0;%1…&#xa0;» dépasse %2 caractères</translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <translation>«&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
    <message>
        <source>a tag has 1 to %1 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation>une étiquette compte de 1 à %1 lettres, chiffres, &apos;-&apos;, &apos;_&apos; ou &apos;.&apos;</translation>
    </message>
</context>
<context>
    <name>Vigie::VmTemplate</name>
    <message numerus="yes">
        <source>%n vCPU(s)</source>
        <translation>
            <numerusform>%n vCPU</numerusform>
            <numerusform>%n vCPU</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 disk</source>
        <translation>disque de %1</translation>
    </message>
    <message>
        <source>no disk</source>
        <translation>sans disque</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>Petite</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Moyenne</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>Grande</translation>
    </message>
    <message>
        <source>Appliance</source>
        <translation>Appliance</translation>
    </message>
    <message>
        <source>Network appliance</source>
        <translation>Appliance réseau</translation>
    </message>
</context>
<context>
    <name>Vigie::VncKeys</name>
    <message>
        <source>Ctrl+Alt+Del</source>
        <translation>Ctrl+Alt+Suppr</translation>
    </message>
    <message>
        <source>Ctrl+Alt+Backspace</source>
        <translation>Ctrl+Alt+Retour arrière</translation>
    </message>
    <message>
        <source>Ctrl+Alt+F%1</source>
        <translation>Ctrl+Alt+F%1</translation>
    </message>
    <message>
        <source>Print Screen</source>
        <translation>Impr. écran</translation>
    </message>
</context>
<context>
    <name>Vigie::VncView</name>
    <message>
        <source>Reconnect</source>
        <translation>Reconnecter</translation>
    </message>
    <message>
        <source>Open the display again</source>
        <translation>Rouvrir l’affichage</translation>
    </message>
    <message>
        <source>Scale to fit</source>
        <translation>Ajuster à la vue</translation>
    </message>
    <message>
        <source>Scale the display to the view; unchecked, show it at its own size (1:1)</source>
        <translation>Mettre l’affichage à l’échelle de la vue&#xa0;; décoché, l’afficher à sa taille réelle (1&#xa0;:1)</translation>
    </message>
    <message>
        <source>Send key</source>
        <translation>Envoyer une touche</translation>
    </message>
    <message>
        <source>Send a key combination this computer would keep for itself</source>
        <translation>Envoyer une combinaison de touches que cet ordinateur garderait pour lui</translation>
    </message>
    <message>
        <source>Type clipboard</source>
        <translation>Taper le presse-papiers</translation>
    </message>
    <message numerus="yes">
        <source>Type the clipboard&apos;s text into the VM, as if on its keyboard (at most %n characters)</source>
        <translation>
            <numerusform>Taper le texte du presse-papiers dans la VM, comme sur son clavier (au plus %n caractère)</numerusform>
            <numerusform>Taper le texte du presse-papiers dans la VM, comme sur son clavier (au plus %n caractères)</numerusform>
        </translation>
    </message>
    <message>
        <source>Open in window</source>
        <translation>Ouvrir dans une fenêtre</translation>
    </message>
    <message>
        <source>Show this display in a window of its own</source>
        <translation>Afficher cet écran dans sa propre fenêtre</translation>
    </message>
    <message>
        <source>Display password:</source>
        <translation>Mot de passe de l’affichage&#xa0;:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Typing the clipboard: %p %</source>
        <translation>Saisie du presse-papiers&#xa0;: %p&#xa0;%</translation>
    </message>
    <message>
        <source>Stop typing</source>
        <translation>Arrêter la saisie</translation>
    </message>
    <message>
        <source>%1 sent.</source>
        <translation>%1 envoyé.</translation>
    </message>
    <message>
        <source>%1 could not be sent: %2</source>
        <translation>%1 n’a pas pu être envoyé&#xa0;: %2</translation>
    </message>
    <message>
        <source>The clipboard holds no text to type.</source>
        <translation>Le presse-papiers ne contient aucun texte à taper.</translation>
    </message>
    <message>
        <source>Nothing to type: the display is not connected, or the text has no character a keyboard types.</source>
        <translation>Rien à taper&#xa0;: l’affichage n’est pas connecté, ou le texte n’a aucun caractère qu’un clavier tape.</translation>
    </message>
    <message numerus="yes">
        <source>The clipboard holds %1 characters: only the first %n are typed.</source>
        <translation>
            <numerusform>Le presse-papiers contient %1 caractères&#xa0;: seul le premier %n est tapé.</numerusform>
            <numerusform>Le presse-papiers contient %1 caractères&#xa0;: seuls les %n premiers sont tapés.</numerusform>
        </translation>
    </message>
    <message>
        <source>The display of %1 is open in its own window.</source>
        <translation>L’affichage de %1 est ouvert dans sa propre fenêtre.</translation>
    </message>
    <message>
        <source>The display of %1 opens when this tab is shown.</source>
        <translation>L’affichage de %1 s’ouvre quand cet onglet est affiché.</translation>
    </message>
    <message>
        <source>Select a VM to see its display.</source>
        <translation>Sélectionnez une VM pour voir son affichage.</translation>
    </message>
    <message>
        <source>Connecting to the display of %1…</source>
        <translation>Connexion à l’affichage de %1…</translation>
    </message>
    <message>
        <source>Display of %1 (%2, encrypted).</source>
        <translation>Affichage de %1 (%2, chiffré).</translation>
    </message>
    <message>
        <source>Display of %1 (%2).</source>
        <translation>Affichage de %1 (%2).</translation>
    </message>
    <message>
        <source>The display of %1 closed (%2); reconnecting…</source>
        <translation>L’affichage de %1 s’est fermé (%2)&#xa0;; reconnexion…</translation>
    </message>
    <message>
        <source>%1 is not running: its display reconnects when it starts.</source>
        <translation>%1 n’est pas en marche&#xa0;: son affichage se reconnecte à son démarrage.</translation>
    </message>
    <message>
        <source>The display of %1 is protected by a password (%2). Vigie asks for it each time and keeps it nowhere.</source>
        <translation>L’affichage de %1 est protégé par un mot de passe (%2). Vigie le demande à chaque fois et ne le garde nulle part.</translation>
    </message>
    <message>
        <source>The display of %1 could not be opened: %2</source>
        <translation>L’affichage de %1 n’a pas pu être ouvert&#xa0;: %2</translation>
    </message>
    <message>
        <source>The host of %1 is not connected: its display reconnects when the host is back.</source>
        <translation>L’hôte de %1 n’est pas connecté&#xa0;: son affichage se reconnecte quand l’hôte revient.</translation>
    </message>
    <message>
        <source>The demo datacenter has no real VMs, so there is no display to open. Connect to a real host, or to the lab (scripts/vigie --lab), to use it.</source>
        <translation>Le centre de données de démonstration n’a pas de vraies VM, donc pas d’affichage à ouvrir. Connectez-vous à un vrai hôte, ou au labo (scripts/vigie --lab), pour l’utiliser.</translation>
    </message>
    <message>
        <source>The display of %1 cannot be reached: %2</source>
        <translation>L’affichage de %1 est injoignable&#xa0;: %2</translation>
    </message>
    <message>
        <source>No display for %1: %2.</source>
        <translation>Pas d’affichage pour %1&#xa0;: %2.</translation>
    </message>
    <message>
        <source>Keyboard and mouse go to %1. Press Ctrl+Alt to release them.</source>
        <translation>Le clavier et la souris vont à %1. Appuyez sur Ctrl+Alt pour les libérer.</translation>
    </message>
    <message>
        <source>Click the display to send keyboard and mouse to %1 (Ctrl+Alt releases them).</source>
        <translation>Cliquez sur l’affichage pour envoyer clavier et souris à %1 (Ctrl+Alt les libère).</translation>
    </message>
</context>
<context>
    <name>Vigie::VncWorker</name>
    <message>
        <source>the VM is not running</source>
        <translation>la VM n’est pas en marche</translation>
    </message>
    <message>
        <source>the VM has no graphics</source>
        <translation>la VM n’a pas d’affichage graphique</translation>
    </message>
    <message>
        <source>the VM&apos;s display is %1, not VNC: Vigie shows VNC displays only</source>
        <translation>l’affichage de la VM est en %1, pas en VNC&#xa0;: Vigie n’affiche que le VNC</translation>
    </message>
    <message>
        <source>through libvirt</source>
        <translation>par libvirt</translation>
    </message>
    <message>
        <source>the display cannot be reached: libvirt cannot hand it over (%1) and it listens on no TCP port</source>
        <translation>l’affichage est injoignable&#xa0;: libvirt ne peut pas le transmettre (%1) et il n’écoute sur aucun port TCP</translation>
    </message>
    <message>
        <source>the display listens on a unix socket of the host, and libvirt cannot hand it over (%1)</source>
        <translation>l’affichage écoute sur un socket unix de l’hôte, et libvirt ne peut pas le transmettre (%1)</translation>
    </message>
    <message>
        <source>cannot connect to the display at %1</source>
        <translation>impossible de se connecter à l’affichage en %1</translation>
    </message>
    <message>
        <source>the display refused the connection</source>
        <translation>l’affichage a refusé la connexion</translation>
    </message>
    <message>
        <source>the display asks for a password</source>
        <translation>l’affichage demande un mot de passe</translation>
    </message>
    <message>
        <source>the display refused the password (%1)</source>
        <translation>l’affichage a refusé le mot de passe (%1)</translation>
    </message>
    <message>
        <source>the display closed during the handshake</source>
        <translation>l’affichage s’est fermé pendant la négociation</translation>
    </message>
    <message>
        <source>the display closed</source>
        <translation>l’affichage s’est fermé</translation>
    </message>
    <message>
        <source>the display refused the password</source>
        <translation>l’affichage a refusé le mot de passe</translation>
    </message>
    <message>
        <source>the display wants VeNCrypt with certificates and no CA was found to check its certificate: put the CA of the host&apos;s VNC certificates in ~/.pki/CA/cacert.pem or /etc/pki/CA/cacert.pem, where libvirt&apos;s VNC clients look for it</source>
        <translation>l’affichage veut VeNCrypt avec certificats et aucune autorité n’a été trouvée pour vérifier son certificat&#xa0;: placez l’autorité des certificats VNC de l’hôte dans ~/.pki/CA/cacert.pem ou /etc/pki/CA/cacert.pem, où les clients VNC de libvirt la cherchent</translation>
    </message>
    <message>
        <source>%1 (its certificate checked against the CA in %2)</source>
        <translation>%1 (son certificat vérifié avec l’autorité de %2)</translation>
    </message>
</context>
<context>
    <name>Vigie::XmlDiffDialog</name>
    <message>
        <source>Apply the new definition of %1?</source>
        <translation>Appliquer la nouvelle définition de %1 ?</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) added</source>
        <translation>
            <numerusform>%n ligne ajoutée</numerusform>
            <numerusform>%n lignes ajoutées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) removed</source>
        <translation>
            <numerusform>%n ligne supprimée</numerusform>
            <numerusform>%n lignes supprimées</numerusform>
        </translation>
    </message>
    <message>
        <source>libvirt checks the definition before saving it; a running VM takes most changes at its next boot.</source>
        <translation>libvirt vérifie la définition avant de l’enregistrer ; une VM en marche prend la plupart des changements à son prochain démarrage.</translation>
    </message>
</context>
<context>
    <name>VlanLaneItem</name>
    <message>
        <source>VLAN %1 — %2</source>
        <translation>VLAN %1 — %2</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) with a NIC here</source>
        <translation>
            <numerusform>%n VM avec une interface réseau ici</numerusform>
            <numerusform>%n VM avec une interface réseau ici</numerusform>
        </translation>
    </message>
    <message>
        <source>Carried by %1 of %2 hosts</source>
        <translation>Présent sur %1 des %2 hôtes</translation>
    </message>
    <message>
        <source>Networks: %1</source>
        <translation>Réseaux&#xa0;: %1</translation>
    </message>
    <message>
        <source>Drop a VM here to move its NIC into this VLAN.</source>
        <translation>Déposer une VM ici pour déplacer son interface réseau dans ce VLAN.</translation>
    </message>
    <message>
        <source>VLAN %1 · %2</source>
        <translation>VLAN %1 · %2</translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s)</source>
        <translation>
            <numerusform>%n VM</numerusform>
            <numerusform>%n VM</numerusform>
        </translation>
    </message>
    <message>
        <source>Overlay network %1</source>
        <translation>Réseau overlay %1</translation>
    </message>
    <message>
        <source>A logical switch of the network controller without a VLAN: its traffic is tunnelled (Geneve) between the hosts.</source>
        <translation>Un commutateur logique du contrôleur réseau sans VLAN : son trafic passe dans des tunnels (Geneve) entre les hôtes.</translation>
    </message>
    <message>
        <source>Switch: %1</source>
        <translation>Commutateur : %1</translation>
    </message>
    <message>
        <source>Subnet: %1</source>
        <translation>Sous-réseau : %1</translation>
    </message>
    <message>
        <source>Overlay · %1</source>
        <translation>Overlay · %1</translation>
    </message>
</context>
<context>
    <name>VmChipItem</name>
    <message>
        <source>%1 on %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message numerus="yes">
        <source>%n vCPU(s), %1</source>
        <translation>
            <numerusform>%n vCPU, %1</numerusform>
            <numerusform>%n vCPU, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Tenant: %1</source>
        <translation>Locataire&#xa0;: %1</translation>
    </message>
    <message>
        <source>VLANs: %1</source>
        <translation>VLAN&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 vCPU · %2</source>
        <translation>%1 vCPU · %2</translation>
    </message>
    <message>
        <source>→ %1 %2 %</source>
        <translation>→ %1 %2&#xa0;%</translation>
    </message>
    <message>
        <source>← arriving from %1</source>
        <translation>← arrive de %1</translation>
    </message>
    <message>
        <source>Drag onto a host to migrate, onto a VLAN lane to move its NIC; drag a NIC&apos;s badge to move that NIC alone.</source>
        <translation>Glissez sur un hôte pour migrer, sur la ligne d’un VLAN pour déplacer sa carte réseau&#xa0;; glissez le badge d’une carte réseau pour ne déplacer qu’elle.</translation>
    </message>
    <message>
        <source>Isolated: only the members of %1 reach it (group %2)</source>
        <translation>Isolée&#xa0;: seuls les membres de %1 l’atteignent (groupe %2)</translation>
    </message>
</context>
</TS>
