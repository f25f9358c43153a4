# -*- coding: utf-8 -*-
'''A BlueZ 5 mock for python-dbusmock with what Qt 6.4's BlueZ D-Bus backend needs.

Debian's python3-dbusmock 0.28.7 ships a bluez5 template without GATT objects
whose Connect never sets ServicesResolved (which QLowEnergyController waits
for) and whose ProfileManager1 never hands out a socket. This template has:

- an adapter (hci0, powered) and devices whose address is upper case, as
  BlueZ reports it;
- Device1.Connect setting Connected and then ServicesResolved, Disconnect,
  Pair (asks the registered org.bluez.Agent1 for a PIN when the device has one);
- for BLE devices a Nordic UART Service: RX (6E400002, write and
  write-without-response), TX (6E400003, notify) with a CCCD (0x2902);
  ReadValue, WriteValue(aya{sv}), StartNotify/StopNotify; notifications are
  PropertiesChanged on TX's Value, split to the device's MTU - 3;
- GattCharacteristic1.MTU (what Qt 6.4 does not expose: QLowEnergyController::mtu()
  is -1 on this backend);
- for Classic devices the Serial Port Profile (0x1101): ProfileManager1.RegisterProfile
  remembers the caller, Device1.ConnectProfile(uuid) hands one end of a
  socketpair to that caller's Profile1.NewConnection;
- a bridge: each device relays between its GATT characteristics / socket and a
  pseudo-terminal, normally a tautband-sim pty, so the real simulators sit
  behind both transports.

Test controls on org.bluez.Mock (object /):
  AddNusDevice(address, name, pty_path, mtu) -> object path
  AddSppDevice(address, name, pty_path) -> object path
  SetPin(address, pin)          the device needs pairing with this PIN
  SetSilent(address, silent)    radio gone, BlueZ still says "connected"
  DropLink(address)             BlueZ reports the disconnect (supervision timeout)
  SetWriteDelay(address, ms)    each WriteValue reply waits this long (slow radio)
  GetStats(address) -> a{sv}    bytes and writes relayed, max writes in flight
  QueueNusDevice(address, name, pty_path, mtu)
  QueueSppDevice(address, name, pty_path)
                                in range but not yet known to BlueZ: added (InterfacesAdded)
                                shortly after the next Adapter1.StartDiscovery, as a scan finds it
  RemoveAdapter()               the machine has no Bluetooth adapter any more

Adapter1: StartDiscovery/StopDiscovery set Discovering; RemoveDevice(path)
disconnects the device, drops its pairing and removes it and its GATT objects
(InterfacesRemoved), as BlueZ does.

This is our own code (licence of the repository); it uses python-dbusmock's
template interface (LGPL-3+), which it does not copy.
'''

import os
import select
import socket
import termios
import threading
import tty

import dbus
import dbus.service
from gi.repository import GLib

from dbusmock import OBJECT_MANAGER_IFACE, mockobject

BUS_NAME = 'org.bluez'
MAIN_OBJ = '/'
SYSTEM_BUS = True
IS_OBJECT_MANAGER = True

MOCK_IFACE = 'org.bluez.Mock'
ADAPTER_IFACE = 'org.bluez.Adapter1'
DEVICE_IFACE = 'org.bluez.Device1'
AGENT_MANAGER_IFACE = 'org.bluez.AgentManager1'
PROFILE_MANAGER_IFACE = 'org.bluez.ProfileManager1'
GATT_SERVICE_IFACE = 'org.bluez.GattService1'
GATT_CHAR_IFACE = 'org.bluez.GattCharacteristic1'
GATT_DESC_IFACE = 'org.bluez.GattDescriptor1'

ADAPTER_PATH = '/org/bluez/hci0'
NUS_SERVICE = '6e400001-b5a3-f393-e0a9-e50e24dcca9e'
NUS_RX = '6e400002-b5a3-f393-e0a9-e50e24dcca9e'
NUS_TX = '6e400003-b5a3-f393-e0a9-e50e24dcca9e'
CCCD = '00002902-0000-1000-8000-00805f9b34fb'
SPP = '00001101-0000-1000-8000-00805f9b34fb'

# address -> Bridge
BRIDGES = {}
# profile uuid (lower case) -> (owner bus name, object path)
PROFILES = {}
AGENT = {'owner': None, 'path': None}
# The main object ('/'); dbusmock registers it in mockobject.objects only after load().
ROOT = {}
# Devices a scan will find: (kind, args for AddNusDevice / AddSppDevice)
IN_RANGE = []


def _root():
    return ROOT['mock']


def _bus():
    return _root().connection


def _emit_props(obj, iface, changed):
    obj.EmitSignal(dbus.PROPERTIES_IFACE, 'PropertiesChanged', 'sa{sv}as', [iface, changed, []])


def _set_props(obj, iface, changed):
    for key, value in changed.items():
        obj.props[iface][key] = value
    _emit_props(obj, iface, changed)


def _error(name, text):
    return dbus.exceptions.DBusException(text, name='org.bluez.Error.' + name)


def _open_pty(path):
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    tty.setraw(fd, termios.TCSANOW)
    return fd


class Bridge:
    '''Relays between one mocked Bluetooth device and a pty.'''

    def __init__(self, address, device_path, pty_path, kind, mtu=23):
        self.address = address
        self.device_path = device_path
        self.kind = kind            # 'ble' or 'spp'
        self.mtu = mtu
        self.pty = _open_pty(pty_path) if pty_path else None
        self.connected = False
        self.silent = False
        self.notifying = False
        self.pin = None
        self.write_delay_ms = 0
        self.writes_in_flight = 0
        self.max_writes_in_flight = 0
        self.stats = {'to_device': 0, 'from_device': 0, 'writes': 0, 'notifications': 0,
                      'dropped_to_device': 0, 'dropped_from_device': 0}
        self.tx_path = None
        self.sock = None            # our end of the RFCOMM socketpair
        self.sock_watch = None
        if self.pty is not None:
            # A thread drains the pty as fast as the device writes, so a
            # main loop busy with D-Bus traffic never overflows the
            # simulator's pty buffer (which would look like radio loss).
            threading.Thread(target=self._read_pty, daemon=True).start()

    # device -> host
    def _read_pty(self):
        while True:
            try:
                ready, _, _ = select.select([self.pty], [], [], 1.0)
                if not ready:
                    continue
                data = os.read(self.pty, 65536)
            except BlockingIOError:
                continue
            except (OSError, ValueError):
                return  # the simulator went away
            if not data:
                return
            GLib.idle_add(self._deliver, data)

    def _deliver(self, data):
        self.to_host(data)
        return False

    def to_host(self, data):
        if not self.connected or self.silent:
            self.stats['dropped_from_device'] += len(data)
            return
        if self.kind == 'ble':
            if not self.notifying:
                self.stats['dropped_from_device'] += len(data)
                return
            tx = mockobject.objects[self.tx_path]
            chunk = max(1, self.mtu - 3)
            for i in range(0, len(data), chunk):
                piece = data[i:i + chunk]
                value = dbus.Array([dbus.Byte(b) for b in piece], signature='y', variant_level=1)
                tx.props[GATT_CHAR_IFACE]['Value'] = value
                _emit_props(tx, GATT_CHAR_IFACE, {'Value': value})
                self.stats['notifications'] += 1
        elif self.sock is not None:
            try:
                self.sock.sendall(data)
            except OSError:
                self.close_socket()
                return
        self.stats['from_device'] += len(data)

    # host -> device
    def to_device(self, data):
        if not self.connected or self.silent:
            self.stats['dropped_to_device'] += len(data)
            return
        self.stats['to_device'] += len(data)
        if self.pty is None:
            return
        view = bytes(data)
        while view:
            try:
                n = os.write(self.pty, view)
                view = view[n:]
            except BlockingIOError:
                GLib.usleep(200)

    def attach_socket(self, sock):
        self.close_socket()
        self.sock = sock
        self.sock.setblocking(False)
        self.sock_watch = GLib.io_add_watch(self.sock.fileno(), GLib.PRIORITY_DEFAULT,
                                            GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, self._on_socket)

    def _on_socket(self, fd, condition):
        try:
            data = self.sock.recv(65536) if self.sock else b''
        except BlockingIOError:
            return True
        except OSError:
            data = b''
        if not data:
            self.sock_watch = None
            self.close_socket()
            return False
        self.to_device(data)
        return True

    def close_socket(self):
        if self.sock_watch is not None:
            GLib.source_remove(self.sock_watch)
            self.sock_watch = None
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None


def _bridge_for_device(device):
    address = str(device.props[DEVICE_IFACE]['Address'])
    return BRIDGES[address]


# ------------------------------------------------------------------ Device1

def _device_connect(device):
    bridge = _bridge_for_device(device)
    if bridge.connected:
        raise _error('AlreadyConnected', 'Already Connected')
    if bridge.pin is not None and not device.props[DEVICE_IFACE]['Paired']:
        raise _error('AuthenticationFailed', 'Not paired')
    if bridge.silent:
        # Out of range: BlueZ gives up on the connection attempt.
        raise _error('Failed', 'le-connection-abort-by-local')
    bridge.connected = True
    _set_props(device, DEVICE_IFACE, {'Connected': dbus.Boolean(True, variant_level=1)})
    if bridge.kind == 'ble':
        # BlueZ resolves GATT services after the link is up; Qt waits for this.
        def resolved():
            if bridge.connected:
                _set_props(device, DEVICE_IFACE, {'ServicesResolved': dbus.Boolean(True, variant_level=1)})
            return False
        GLib.timeout_add(5, resolved)


def _mark_disconnected(device):
    bridge = _bridge_for_device(device)
    bridge.connected = False
    bridge.notifying = False
    bridge.close_socket()
    if bridge.tx_path:
        tx = mockobject.objects[bridge.tx_path]
        tx.props[GATT_CHAR_IFACE]['Notifying'] = dbus.Boolean(False, variant_level=1)
    _set_props(device, DEVICE_IFACE, {'ServicesResolved': dbus.Boolean(False, variant_level=1),
                                      'Connected': dbus.Boolean(False, variant_level=1)})


def _device_disconnect(device):
    if not _bridge_for_device(device).connected:
        raise _error('NotConnected', 'Not Connected')
    _mark_disconnected(device)


@dbus.service.method(DEVICE_IFACE, in_signature='s', out_signature='', sender_keyword='sender')
def _connect_profile(device, uuid, sender=None):
    bridge = _bridge_for_device(device)
    uuid = str(uuid).lower()
    if bridge.kind != 'spp' or uuid != SPP:
        raise _error('NotAvailable', 'Profile not available on this device')
    if bridge.pin is not None and not device.props[DEVICE_IFACE]['Paired']:
        raise _error('AuthenticationFailed', 'Not paired')
    if uuid not in PROFILES:
        raise _error('DoesNotExist', 'No profile registered for ' + uuid)
    if bridge.silent:
        raise _error('Failed', 'Page Timeout')
    owner, profile_path = PROFILES[uuid]
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    bridge.connected = True
    bridge.attach_socket(ours)
    _set_props(device, DEVICE_IFACE, {'Connected': dbus.Boolean(True, variant_level=1)})
    profile = _bus().get_object(owner, profile_path, introspect=False)

    def done(*_args):
        theirs.close()

    def failed(error):
        theirs.close()
        bridge.close_socket()
        _root().log('NewConnection failed: ' + str(error))

    # Asynchronously, as BlueZ does: the client is free to answer NewConnection
    # while it waits for ConnectProfile's reply.
    profile.NewConnection(dbus.ObjectPath(device.path), dbus.types.UnixFd(theirs.fileno()),
                          dbus.Dictionary({}, signature='sv'), dbus_interface='org.bluez.Profile1',
                          reply_handler=done, error_handler=failed)


def _disconnect_profile(device, _uuid):
    bridge = _bridge_for_device(device)
    bridge.close_socket()
    if bridge.connected:
        _mark_disconnected(device)


@dbus.service.method(DEVICE_IFACE, in_signature='', out_signature='',
                     async_callbacks=('reply', 'error'))
def _pair(device, reply=None, error=None):
    bridge = _bridge_for_device(device)
    if device.props[DEVICE_IFACE]['Paired']:
        error(_error('AlreadyExists', 'Already Paired'))
        return
    if bridge.pin is None:
        _set_props(device, DEVICE_IFACE, {'Paired': dbus.Boolean(True, variant_level=1)})
        reply()
        return
    if not AGENT['owner']:
        error(_error('AuthenticationFailed', 'No agent registered to enter the PIN'))
        return
    agent = _bus().get_object(AGENT['owner'], AGENT['path'], introspect=False)

    def got_pin(pin):
        if str(pin) == bridge.pin:
            _set_props(device, DEVICE_IFACE, {'Paired': dbus.Boolean(True, variant_level=1)})
            reply()
        else:
            error(_error('AuthenticationFailed', 'Wrong PIN'))

    def agent_failed(agent_error):
        error(_error('AuthenticationRejected', 'Agent refused: ' + str(agent_error)))

    agent.RequestPinCode(dbus.ObjectPath(device.path), dbus_interface='org.bluez.Agent1',
                         reply_handler=got_pin, error_handler=agent_failed)


def _install(obj, iface, name, fn):
    '''Puts a dbus.service.method function (with sender or async keywords) on one mock object.'''
    # pylint: disable=protected-access
    obj.methods.setdefault(iface, {})[name] = (fn._dbus_in_signature, fn._dbus_out_signature, '', fn)


# ----------------------------------------------------------- GATT objects

def _char_read(char, _options):
    return char.props[GATT_CHAR_IFACE]['Value']


@dbus.service.method(GATT_CHAR_IFACE, in_signature='aya{sv}', out_signature='',
                     async_callbacks=('reply', 'error'))
def _char_write(char, value, options, reply=None, error=None):
    bridge = BRIDGES[char.address]
    if not bridge.connected:
        error(_error('NotConnected', 'Not Connected'))
        return
    kind = str(options.get('type', 'request'))
    if kind not in ('command', 'request', 'reliable'):
        error(_error('InvalidArguments', 'bad write type ' + kind))
        return
    if len(value) > bridge.mtu - 3:
        error(_error('InvalidValueLength', 'value longer than MTU - 3'))
        return
    bridge.stats['writes'] += 1
    bridge.writes_in_flight += 1
    bridge.max_writes_in_flight = max(bridge.max_writes_in_flight, bridge.writes_in_flight)

    def finish():
        bridge.writes_in_flight -= 1
        bridge.to_device(bytes(value))
        reply()
        return False

    if bridge.write_delay_ms > 0:
        GLib.timeout_add(bridge.write_delay_ms, finish)
    else:
        finish()


def _start_notify(char):
    bridge = BRIDGES[char.address]
    if not bridge.connected:
        raise _error('NotConnected', 'Not Connected')
    bridge.notifying = True
    _set_props(char, GATT_CHAR_IFACE, {'Notifying': dbus.Boolean(True, variant_level=1)})


def _stop_notify(char):
    bridge = BRIDGES[char.address]
    bridge.notifying = False
    _set_props(char, GATT_CHAR_IFACE, {'Notifying': dbus.Boolean(False, variant_level=1)})


def _desc_read(desc, _options):
    bridge = BRIDGES[desc.address]
    return dbus.Array([dbus.Byte(1 if bridge.notifying else 0), dbus.Byte(0)], signature='y')


def _desc_write(_desc, _value, _options):
    # BlueZ refuses direct CCCD writes: notifications go through StartNotify.
    raise _error('NotPermitted', 'Write the CCCD through StartNotify/StopNotify')


def _add_object(mock, path, iface, props, methods):
    mock.AddObject(path, iface, props, methods)
    obj = mockobject.objects[path]
    return obj


def _announce(path):
    root = _root()
    obj = mockobject.objects[path]
    root.EmitSignal(OBJECT_MANAGER_IFACE, 'InterfacesAdded', 'oa{sa{sv}}',
                    [dbus.ObjectPath(path), obj.props])


def _device_path(address):
    return ADAPTER_PATH + '/dev_' + address.replace(':', '_')


def _add_device(mock, address, name, uuids):
    address = str(address).upper()
    path = _device_path(address)
    if path in mockobject.objects:
        raise dbus.exceptions.DBusException('device exists', name=MOCK_IFACE + '.Exists')
    props = {
        'Address': dbus.String(address, variant_level=1),
        'AddressType': dbus.String('public' if SPP in uuids else 'random', variant_level=1),
        'Name': dbus.String(name, variant_level=1),
        'Alias': dbus.String(name, variant_level=1),
        'Class': dbus.UInt32(0x1f00, variant_level=1),
        'Appearance': dbus.UInt16(0, variant_level=1),
        'Icon': dbus.String('', variant_level=1),
        'UUIDs': dbus.Array(uuids, signature='s', variant_level=1),
        'Paired': dbus.Boolean(False, variant_level=1),
        'Bonded': dbus.Boolean(False, variant_level=1),
        'Connected': dbus.Boolean(False, variant_level=1),
        'Trusted': dbus.Boolean(False, variant_level=1),
        'Blocked': dbus.Boolean(False, variant_level=1),
        'LegacyPairing': dbus.Boolean(SPP in uuids, variant_level=1),
        'RSSI': dbus.Int16(-58, variant_level=1),
        'Adapter': dbus.ObjectPath(ADAPTER_PATH, variant_level=1),
        'ServicesResolved': dbus.Boolean(False, variant_level=1),
        'ManufacturerData': dbus.Dictionary({}, signature='qv', variant_level=1),
        'ServiceData': dbus.Dictionary({}, signature='sv', variant_level=1),
    }
    device = _add_object(mock, path, DEVICE_IFACE, props, [
        ('Connect', '', '', _device_connect),
        ('Disconnect', '', '', _device_disconnect),
        ('DisconnectProfile', 's', '', _disconnect_profile),
        ('CancelPairing', '', '', ''),
    ])
    _install(device, DEVICE_IFACE, 'ConnectProfile', _KEYWORD_METHODS['_connect_profile'])
    _install(device, DEVICE_IFACE, 'Pair', _KEYWORD_METHODS['_pair'])
    return device


@dbus.service.method(MOCK_IFACE, in_signature='sssu', out_signature='s')
def AddNusDevice(self, address, name, pty_path, mtu):
    '''A BLE device with the Nordic UART Service, bridged to pty_path.'''
    address = str(address).upper()
    device = _add_device(self, address, str(name), [NUS_SERVICE])
    path = device.path
    bridge = Bridge(address, path, str(pty_path), 'ble', int(mtu) if mtu else 23)
    BRIDGES[address] = bridge
    service_path = path + '/service000a'
    rx_path = service_path + '/char000b'
    tx_path = service_path + '/char000d'
    cccd_path = tx_path + '/desc000f'
    bridge.tx_path = tx_path
    _add_object(self, service_path, GATT_SERVICE_IFACE, {
        'UUID': dbus.String(NUS_SERVICE, variant_level=1),
        'Device': dbus.ObjectPath(path, variant_level=1),
        'Primary': dbus.Boolean(True, variant_level=1),
        'Includes': dbus.Array([], signature='o', variant_level=1),
    }, [])
    for char_path, uuid, flags in ((rx_path, NUS_RX, ['write', 'write-without-response']),
                                   (tx_path, NUS_TX, ['notify'])):
        props = {
            'UUID': dbus.String(uuid, variant_level=1),
            'Service': dbus.ObjectPath(service_path, variant_level=1),
            'Value': dbus.Array([], signature='y', variant_level=1),
            'Notifying': dbus.Boolean(False, variant_level=1),
            'Flags': dbus.Array(flags, signature='s', variant_level=1),
        }
        if mtu:
            # BlueZ >= 5.62 publishes the negotiated MTU here; mtu 0 mimics an older BlueZ.
            props['MTU'] = dbus.UInt16(bridge.mtu, variant_level=1)
        char = _add_object(self, char_path, GATT_CHAR_IFACE, props, [
            ('ReadValue', 'a{sv}', 'ay', _char_read),
            ('StartNotify', '', '', _start_notify),
            ('StopNotify', '', '', _stop_notify),
        ])
        char.address = address
        _install(char, GATT_CHAR_IFACE, 'WriteValue', _KEYWORD_METHODS['_char_write'])
    cccd = _add_object(self, cccd_path, GATT_DESC_IFACE, {
        'UUID': dbus.String(CCCD, variant_level=1),
        'Characteristic': dbus.ObjectPath(tx_path, variant_level=1),
        'Value': dbus.Array([], signature='y', variant_level=1),
        'Flags': dbus.Array(['read', 'write'], signature='s', variant_level=1),
    }, [
        ('ReadValue', 'a{sv}', 'ay', _desc_read),
        ('WriteValue', 'aya{sv}', '', _desc_write),
    ])
    cccd.address = address
    for p in (path, service_path, rx_path, tx_path, cccd_path):
        _announce(p)
    return path


@dbus.service.method(MOCK_IFACE, in_signature='sss', out_signature='s')
def AddSppDevice(self, address, name, pty_path):
    '''A Bluetooth Classic device with the Serial Port Profile, bridged to pty_path.'''
    address = str(address).upper()
    device = _add_device(self, address, str(name), [SPP])
    BRIDGES[address] = Bridge(address, device.path, str(pty_path), 'spp')
    _announce(device.path)
    return device.path


@dbus.service.method(MOCK_IFACE, in_signature='ss', out_signature='')
def SetPin(_self, address, pin):
    BRIDGES[str(address).upper()].pin = str(pin)


@dbus.service.method(MOCK_IFACE, in_signature='sb', out_signature='')
def SetSilent(_self, address, silent):
    BRIDGES[str(address).upper()].silent = bool(silent)


@dbus.service.method(MOCK_IFACE, in_signature='su', out_signature='')
def SetWriteDelay(_self, address, ms):
    BRIDGES[str(address).upper()].write_delay_ms = int(ms)


@dbus.service.method(MOCK_IFACE, in_signature='s', out_signature='')
def DropLink(_self, address):
    bridge = BRIDGES[str(address).upper()]
    if bridge.connected:
        _mark_disconnected(mockobject.objects[bridge.device_path])


@dbus.service.method(MOCK_IFACE, in_signature='s', out_signature='a{sv}')
def GetStats(_self, address):
    bridge = BRIDGES[str(address).upper()]
    stats = {k: dbus.UInt64(v, variant_level=1) for k, v in bridge.stats.items()}
    stats['max_writes_in_flight'] = dbus.UInt64(bridge.max_writes_in_flight, variant_level=1)
    stats['connected'] = dbus.Boolean(bridge.connected, variant_level=1)
    return stats


@dbus.service.method(MOCK_IFACE, in_signature='sssu', out_signature='')
def QueueNusDevice(_self, address, name, pty_path, mtu):
    '''A BLE NUS device in range: BlueZ learns of it from the next scan.'''
    IN_RANGE.append(('nus', (str(address), str(name), str(pty_path), int(mtu))))


@dbus.service.method(MOCK_IFACE, in_signature='sss', out_signature='')
def QueueSppDevice(_self, address, name, pty_path):
    '''A Classic SPP device in range: BlueZ learns of it from the next scan.'''
    IN_RANGE.append(('spp', (str(address), str(name), str(pty_path))))


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='')
def RemoveAdapter(_self):
    '''No Bluetooth adapter: removes hci0 (its devices stay unreachable).'''
    if ADAPTER_PATH in mockobject.objects:
        _remove_objects(ADAPTER_PATH)


def _remove_objects(prefix):
    '''Removes prefix and every object below it, announcing each (children first).'''
    root = _root()
    paths = sorted((p for p in mockobject.objects if p == prefix or p.startswith(prefix + '/')),
                   key=len, reverse=True)
    for path in paths:
        interfaces = [i for i in mockobject.objects[path].props.keys() if i.startswith('org.bluez.')]
        root.RemoveObject(path)
        root.EmitSignal(OBJECT_MANAGER_IFACE, 'InterfacesRemoved', 'oas',
                        [dbus.ObjectPath(path), dbus.Array(interfaces, signature='s')])


def _start_discovery(adapter):
    _set_props(adapter, ADAPTER_IFACE, {'Discovering': dbus.Boolean(True, variant_level=1)})

    def found():
        root = _root()
        while IN_RANGE:
            kind, args = IN_RANGE.pop(0)
            if _device_path(args[0].upper()) in mockobject.objects:
                continue
            if kind == 'nus':
                AddNusDevice(root, *args)
            else:
                AddSppDevice(root, *args)
        return False
    # A scan takes a moment to hear an advertisement.
    GLib.timeout_add(150, found)


def _stop_discovery(adapter):
    _set_props(adapter, ADAPTER_IFACE, {'Discovering': dbus.Boolean(False, variant_level=1)})


def _remove_device(_adapter, path):
    path = str(path)
    if path not in mockobject.objects or DEVICE_IFACE not in mockobject.objects[path].props:
        raise _error('DoesNotExist', 'Does Not Exist')
    device = mockobject.objects[path]
    bridge = _bridge_for_device(device)
    if bridge.connected:
        _mark_disconnected(device)
    bridge.close_socket()
    del BRIDGES[bridge.address]
    _remove_objects(path)


# ---------------------------------------------------------- managers

@dbus.service.method(PROFILE_MANAGER_IFACE, in_signature='osa{sv}', out_signature='', sender_keyword='sender')
def _register_profile(_manager, path, uuid, _options, sender=None):
    uuid = str(uuid).lower()
    PROFILES[uuid] = (str(sender), str(path))


def _unregister_profile(_manager, path):
    for uuid, (_owner, profile_path) in list(PROFILES.items()):
        if profile_path == str(path):
            del PROFILES[uuid]
            return
    raise _error('DoesNotExist', 'Profile not registered')


@dbus.service.method(AGENT_MANAGER_IFACE, in_signature='os', out_signature='', sender_keyword='sender')
def _register_agent(_manager, path, _capability, sender=None):
    AGENT['owner'] = str(sender)
    AGENT['path'] = str(path)


def _unregister_agent(_manager, path):
    if AGENT['path'] == str(path):
        AGENT['owner'] = None
        AGENT['path'] = None


# dbusmock's AddTemplate publishes every module-level dbus.service.method on
# '/'; these belong on other objects only, so keep them out of the module.
_KEYWORD_METHODS = {f.__name__: f for f in (_connect_profile, _pair, _char_write, _register_profile,
                                            _register_agent)}
del _connect_profile, _pair, _char_write, _register_profile, _register_agent


def load(mock, _parameters):
    ROOT['mock'] = mock
    mock.AddObject('/org/bluez', AGENT_MANAGER_IFACE, {}, [
        ('UnregisterAgent', 'o', '', _unregister_agent),
        ('RequestDefaultAgent', 'o', '', ''),
    ])
    bluez = mockobject.objects['/org/bluez']
    _install(bluez, AGENT_MANAGER_IFACE, 'RegisterAgent', _KEYWORD_METHODS['_register_agent'])
    bluez.AddMethods(PROFILE_MANAGER_IFACE, [('UnregisterProfile', 'o', '', _unregister_profile)])
    _install(bluez, PROFILE_MANAGER_IFACE, 'RegisterProfile', _KEYWORD_METHODS['_register_profile'])
    adapter = _add_object(mock, ADAPTER_PATH, ADAPTER_IFACE, {
        'Address': dbus.String('00:1A:7D:DA:71:13', variant_level=1),
        'AddressType': dbus.String('public', variant_level=1),
        'Name': dbus.String('tautband-mock', variant_level=1),
        'Alias': dbus.String('tautband-mock', variant_level=1),
        'Class': dbus.UInt32(0x10c, variant_level=1),
        'Powered': dbus.Boolean(True, variant_level=1),
        'Discoverable': dbus.Boolean(False, variant_level=1),
        'Pairable': dbus.Boolean(True, variant_level=1),
        'Discovering': dbus.Boolean(False, variant_level=1),
        'UUIDs': dbus.Array([], signature='s', variant_level=1),
        'Modalias': dbus.String('usb:v1D6Bp0246d0542', variant_level=1),
    }, [
        ('StartDiscovery', '', '', _start_discovery),
        ('StopDiscovery', '', '', _stop_discovery),
        ('SetDiscoveryFilter', 'a{sv}', '', ''),
        ('RemoveDevice', 'o', '', _remove_device),
    ])
    _announce(adapter.path)
