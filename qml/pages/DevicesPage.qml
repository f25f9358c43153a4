pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Links with live health, the ports discovery sees (never opened until you
// choose one), the simulators, and on the right Bluetooth: scan, pair,
// connect, forget (a connected Bluetooth device is a link like any other).
Rectangle {
    id: page
    objectName: "page_devices"
    property DevicesModel devices: null
    property BluetoothModel bluetooth: null

    color: Theme.surface
    radius: Theme.radius

    RowLayout {
        anchors { fill: parent; margins: Theme.spacing * 2 }
        spacing: Theme.spacing * 2

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                Text {
                    text: qsTr("Devices")
                    color: Theme.text
                    font.pixelSize: Theme.fontHuge
                    font.bold: true
                    Layout.fillWidth: true
                }
                TouchButton {
                    objectName: "startSimulators"
                    text: qsTr("Start simulators")
                    enabled: page.devices !== null && page.devices.canStartSimulators
                    implicitHeight: Theme.touchTarget
                    font.pixelSize: Theme.fontBody
                    onClicked: page.devices.startSimulators()
                }
            }

            Text {
                objectName: "devicesMessage"
                Layout.fillWidth: true
                text: page.devices ? page.devices.message : qsTr("The device service is not running.")
                visible: text.length > 0
                color: Theme.warning
                font.pixelSize: Theme.fontBody
                wrapMode: Text.WordWrap
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                TextField {
                    id: pathField
                    objectName: "portPath"
                    Layout.fillWidth: true
                    implicitHeight: Theme.touchTarget
                    font.pixelSize: Theme.fontBody
                    placeholderText: qsTr("Port path, e.g. /dev/serial/by-id/… or a simulator's /dev/pts/N")
                    placeholderTextColor: Theme.textMuted
                    color: Theme.text
                    background: Rectangle {
                        radius: Theme.radius
                        color: Theme.background
                        border.color: pathField.activeFocus ? Theme.accent : Theme.border
                        border.width: 2
                    }
                }
            }

            // Driver and actions on their own row: the path field keeps the full width.
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing * 2
                TouchComboBox {
                    id: driverChoice
                    objectName: "driverChoice"
                    readonly property var usable: page.devices ? page.devices.usableDrivers : []
                    model: usable
                    textRole: "id"
                    Layout.fillWidth: true
                }
                TouchButton {
                    objectName: "driverSettingsButton"
                    text: settingsForm.visible ? qsTr("Hide settings") : qsTr("Settings")
                    enabled: driverChoice.count > 0
                    font.pixelSize: Theme.fontSmall
                    onClicked: settingsForm.visible = !settingsForm.visible
                }
                TouchButton {
                    objectName: "connectPort"
                    text: qsTr("Connect")
                    enabled: page.devices !== null && pathField.text.length > 0
                    implicitHeight: Theme.touchTarget
                    font.pixelSize: Theme.fontBody
                    onClicked: driverChoice.count > 0
                               ? page.devices.connectPortWith(pathField.text, driverChoice.currentText, settingsForm.values())
                               : page.devices.connectPort(pathField.text)
                }
            }

            DriverSettingsForm {
                id: settingsForm
                objectName: "driverSettingsForm"
                visible: false
                Layout.fillWidth: true
                driver: driverChoice.currentIndex >= 0 && driverChoice.usable.length > driverChoice.currentIndex
                        ? driverChoice.usable[driverChoice.currentIndex] : null
            }

            ListView {
                id: links
                objectName: "linkList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: Theme.spacing
                model: page.devices
                delegate: LinkCard {
                    width: links.width
                    devices: page.devices
                }
                Text {
                    anchors { fill: parent; margins: Theme.spacing }
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    wrapMode: Text.WordWrap
                    visible: links.count === 0
                    text: qsTr("No device links. Choose a port below, enter a path, or start the simulators.")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontBody
                }
            }

            Text {
                text: qsTr("Driver plugins:")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
            Column {
                objectName: "driverList"
                Layout.fillWidth: true
                spacing: 2
                Repeater {
                    model: page.devices ? page.devices.drivers : []
                    delegate: Text {
                        required property var modelData
                        width: parent ? parent.width : 0
                        elide: Text.ElideRight
                        font.pixelSize: Theme.fontSmall
                        color: modelData.status === "loaded" ? Theme.text : Theme.warning
                        text: modelData.id + "  " + modelData.vendor + " " + modelData.version
                              + (modelData.api ? "  ·  API " + modelData.api : "")
                              + "  ·  " + modelData.status
                              + (modelData.reason ? ": " + modelData.reason : "")
                              + (modelData.research ? qsTr("  ·  research device (not isolated)") : "")
                              + (modelData.watchdog === false ? qsTr("  ·  no firmware watchdog") : "")
                    }
                }
                Text {
                    visible: !page.devices || page.devices.drivers.length === 0
                    text: qsTr("none found")
                    color: Theme.warning
                    font.pixelSize: Theme.fontSmall
                }
            }

            Text {
                text: qsTr("Serial ports on this machine (not opened until you connect):")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacing
                Repeater {
                    model: page.devices ? page.devices.ports : []
                    delegate: TouchButton {
                        required property var modelData
                        text: modelData.path + (modelData.description ? "  (" + modelData.description + ")" : "")
                        implicitHeight: Theme.touchTarget
                        font.pixelSize: Theme.fontSmall
                        onClicked: page.devices.connectPort(modelData.path)
                    }
                }
                Text {
                    visible: !page.devices || page.devices.ports.length === 0
                    text: qsTr("none found")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
            }
        }

        BluetoothPanel {
            Layout.preferredWidth: 440
        Layout.maximumWidth: 440
            Layout.fillHeight: true
            bluetooth: page.bluetooth
        }
    }

    component LinkCard: Rectangle {
        id: card
        required property string name
        required property string path
        required property string state
        required property string detail
        required property string device
        required property string kind
        required property double rateKb
        required property double capKb
        required property double errors
        required property double lost
        required property var lastHeardMs
        required property double reconnects
        property DevicesModel devices: null

        implicitHeight: cardLayout.implicitHeight + Theme.spacing * 2
        radius: Theme.radius
        color: Theme.surfaceRaised
        border.width: 3
        border.color: state === "connected" ? Theme.ok
                      : (state === "failed" ? Theme.danger
                      : (state === "closed" ? Theme.border : Theme.warning))

        ColumnLayout {
            id: cardLayout
            anchors { fill: parent; margins: Theme.spacing }
            spacing: 4
            RowLayout {
                Layout.fillWidth: true
                Text {
                    text: (card.kind ? card.kind.toUpperCase() + "  " : "") + (card.device || card.path)
                    color: Theme.text
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                }
                Text {
                    objectName: "linkState"
                    text: card.state
                    color: card.border.color
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                }
            }
            Text {
                text: card.path + "  —  " + card.detail
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            Text {
                text: qsTr("in %1 kB/s of %2 kB/s · errors %3 · lost %4 · last heard %5 · reconnects %6")
                      .arg(card.rateKb.toFixed(1)).arg(card.capKb.toFixed(0)).arg(card.errors).arg(card.lost)
                      .arg(card.lastHeardMs === undefined ? qsTr("never") : card.lastHeardMs + " ms ago")
                      .arg(card.reconnects)
                color: Theme.text
                font.pixelSize: Theme.fontSmall
                font.family: "DejaVu Sans Mono"
            }
            RowLayout {
                // Gloved fingers: a clear gap between Disconnect and Forget.
                spacing: Theme.spacing * 2
                TouchButton {
                    text: card.state === "closed" || card.state === "failed" ? qsTr("Reconnect") : qsTr("Disconnect")
                    implicitHeight: Theme.touchTarget
                    font.pixelSize: Theme.fontSmall
                    onClicked: card.state === "closed" || card.state === "failed"
                               ? card.devices.reconnectLink(card.name) : card.devices.disconnectLink(card.name)
                }
                TouchButton {
                    text: qsTr("Forget")
                    implicitHeight: Theme.touchTarget
                    font.pixelSize: Theme.fontSmall
                    onClicked: card.devices.forgetLink(card.name)
                }
            }
        }
    }
}
