"""A bumble virtual controller that cancels a pending LE connection the way the specification says.

bumble's :class:`~bumble.controller.Controller` answers ``HCI_LE_Create_Connection_Cancel`` with
success but keeps the pending connection and never reports its end. Two things then go wrong:
bumble's host, after a connect timeout, sends the cancel and waits for the connection's end
event forever (the connect hangs); and the controller refuses every later create-connection as
"already pending", or silently connects to the cancelled address when it next advertises.

The Core specification (Vol 4, Part E, 7.8.13) asks for this instead: if a create-connection is
pending, answer the cancel with success, drop the pending connection, then send an LE Connection
Complete event with status Unknown Connection Identifier (0x02); if none is pending, answer
Command Disallowed (0x0C). :class:`VirtualController` does exactly that.
"""

from __future__ import annotations

import asyncio

from bumble import hci
from bumble.controller import Controller

__all__ = ["VirtualController"]


class VirtualController(Controller):
    """bumble's virtual controller with a specification-conformant LE Create Connection Cancel."""

    def on_hci_le_create_connection_cancel_command(
        self, _command: hci.HCI_LE_Create_Connection_Cancel_Command
    ) -> hci.HCI_StatusReturnParameters:
        pending = self.pending_le_connection
        if pending is None:
            return hci.HCI_StatusReturnParameters(hci.HCI_ErrorCode.COMMAND_DISALLOWED_ERROR)
        self.pending_le_connection = None
        event = hci.HCI_LE_Connection_Complete_Event(
            status=hci.HCI_ErrorCode.UNKNOWN_CONNECTION_IDENTIFIER_ERROR,
            connection_handle=0,
            role=hci.Role.CENTRAL,
            peer_address_type=pending.peer_address_type,
            peer_address=pending.peer_address,
            connection_interval=0,
            peripheral_latency=0,
            supervision_timeout=0,
            central_clock_accuracy=0,
        )
        # The caller queues the Command Complete for this command after we return; queueing the
        # send (rather than sending now) puts the Connection Complete after it, as the spec orders.
        asyncio.get_running_loop().call_soon(self.send_hci_packet, event)
        return hci.HCI_StatusReturnParameters(hci.HCI_ErrorCode.SUCCESS)
