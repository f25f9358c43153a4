pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Bluetooth on the Devices page: scan, pair with a PIN (typed here, on the
// on-screen keyboard), connect (only when pressed) and forget. A connected
// device's link appears in the link list with its health, like a serial one.
// Pairing and forgetting ask in a strip above the list, outside the cards, so
// a refreshed list never loses what was typed or asked.
Rectangle {
    id: panel
    objectName: "bluetoothPanel"
    property BluetoothModel bluetooth: null
    readonly property bool ready: bluetooth !== null && bluetooth.available
    // The device the PIN strip or the forget question is about ("" for none).
    property string pairAddress: ""
    property string pairName: ""
    property string forgetAddress: ""
    property string forgetName: ""

    color: Theme.surfaceRaised
    radius: Theme.radius

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing }
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                text: qsTr("Bluetooth")
                color: Theme.text
                font.pixelSize: Theme.fontTitle
                font.bold: true
                Layout.fillWidth: true
            }
            TouchButton {
                objectName: "bluetoothScan"
                text: panel.bluetooth && panel.bluetooth.scanning ? qsTr("Stop scan") : qsTr("Scan")
                enabled: panel.ready
                implicitWidth: Theme.touchTarget * 3
                onClicked: panel.bluetooth.scanning ? panel.bluetooth.stopScan() : panel.bluetooth.scan(10)
            }
        }

        Text {
            objectName: "bluetoothAvailability"
            Layout.fillWidth: true
            visible: !panel.ready
            text: panel.bluetooth === null ? qsTr("Bluetooth is not part of this installation.")
                                           : panel.bluetooth.availability
                                             + qsTr(" Serial devices and simulators work as usual.")
            color: Theme.warning
            font.pixelSize: Theme.fontBody
            wrapMode: Text.WordWrap
        }

        Text {
            objectName: "bluetoothMessage"
            Layout.fillWidth: true
            visible: panel.ready && text.length > 0
            text: panel.bluetooth ? panel.bluetooth.message : ""
            color: Theme.text
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.WordWrap
        }

        // Pairing: the PIN from the device's manual (empty: the driver's documented one).
        Rectangle {
            objectName: "pairStrip"
            visible: panel.pairAddress.length > 0
            Layout.fillWidth: true
            implicitHeight: pairColumn.implicitHeight + Theme.spacing * 2
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.accent
            border.width: 2
            ColumnLayout {
                id: pairColumn
                anchors { fill: parent; margins: Theme.spacing }
                spacing: Theme.spacing
                Text {
                    Layout.fillWidth: true
                    text: qsTr("Pair with %1 (%2). PIN:").arg(panel.pairName).arg(panel.pairAddress)
                    color: Theme.text
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.WordWrap
                }
                TextField {
                    id: pinField
                    objectName: "pinField"
                    Layout.fillWidth: true
                    implicitHeight: Theme.touchTarget
                    font.pixelSize: Theme.fontTitle
                    inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhNoPredictiveText
                    maximumLength: 16
                    placeholderText: qsTr("e.g. 1234 (empty: the driver's PIN)")
                    placeholderTextColor: Theme.textMuted
                    color: Theme.text
                    background: Rectangle {
                        radius: Theme.radius
                        color: Theme.background
                        border.color: pinField.activeFocus ? Theme.accent : Theme.border
                        border.width: 2
                    }
                }
                RowLayout {
                    spacing: Theme.spacing * 2
                    TouchButton {
                        objectName: "pairConfirm"
                        text: panel.bluetooth && panel.bluetooth.pairingAddress.length > 0 ? qsTr("Pairing…")
                                                                                             : qsTr("Pair")
                        enabled: panel.ready && panel.bluetooth.pairingAddress.length === 0
                        implicitWidth: Theme.touchTarget * 3
                        tint: Theme.accent
                        onClicked: panel.bluetooth.pair(panel.pairAddress, pinField.text)
                    }
                    TouchButton {
                        objectName: "pairCancel"
                        text: qsTr("Close")
                        implicitWidth: Theme.touchTarget * 3
                        onClicked: { panel.pairAddress = ""; pinField.text = "" }
                    }
                }
            }
        }

        // Forgetting removes the pairing too: asked once, away from the cards.
        Rectangle {
            objectName: "forgetStrip"
            visible: panel.forgetAddress.length > 0
            Layout.fillWidth: true
            implicitHeight: forgetColumn.implicitHeight + Theme.spacing * 2
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.warning
            border.width: 2
            ColumnLayout {
                id: forgetColumn
                anchors { fill: parent; margins: Theme.spacing }
                spacing: Theme.spacing
                Text {
                    Layout.fillWidth: true
                    text: qsTr("Forget %1? Its link closes and its pairing is removed.").arg(panel.forgetName)
                    color: Theme.text
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.WordWrap
                }
                RowLayout {
                    spacing: Theme.spacing * 2
                    TouchButton {
                        objectName: "forgetConfirm"
                        text: qsTr("Forget")
                        implicitWidth: Theme.touchTarget * 3
                        tint: Theme.danger
                        onClicked: { panel.bluetooth.forget(panel.forgetAddress); panel.forgetAddress = "" }
                    }
                    TouchButton {
                        objectName: "forgetCancel"
                        text: qsTr("Keep")
                        implicitWidth: Theme.touchTarget * 3
                        onClicked: panel.forgetAddress = ""
                    }
                }
            }
        }

        ListView {
            id: list
            objectName: "bluetoothList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacing
            model: panel.ready ? panel.bluetooth : null
            delegate: DeviceCard {
                width: list.width
            }
            Text {
                anchors { fill: parent; margins: Theme.spacing }
                visible: list.count === 0 && panel.ready
                text: qsTr("No Bluetooth devices yet. Press Scan: only devices a driver can use are listed, and nothing connects until you press Connect.")
                color: Theme.textMuted
                font.pixelSize: Theme.fontBody
                wrapMode: Text.WordWrap
            }
        }
    }

    component DeviceCard: Rectangle {
        id: card
        required property string address
        required property string name
        required property string port
        required property string driverId
        required property string why
        required property bool paired
        required property bool connected
        required property bool linked
        required property var rssi

        objectName: "bluetoothDevice_" + address
        implicitHeight: cardColumn.implicitHeight + Theme.spacing * 2
        radius: Theme.radius
        color: Theme.surface
        border.width: 2
        border.color: linked ? Theme.ok : Theme.border

        ColumnLayout {
            id: cardColumn
            anchors { fill: parent; margins: Theme.spacing }
            spacing: 4
            RowLayout {
                Layout.fillWidth: true
                Text {
                    text: card.name || card.address
                    color: Theme.text
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Text {
                    objectName: "pairedState"
                    text: card.paired ? qsTr("paired") : qsTr("not paired")
                    color: card.paired ? Theme.ok : Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                }
            }
            Text {
                Layout.fillWidth: true
                text: (card.port || card.address) + "  ·  " + card.driverId
                      + "  ·  " + (card.rssi === undefined ? qsTr("RSSI —") : qsTr("RSSI %1 dBm").arg(card.rssi))
                color: Theme.text
                font.pixelSize: Theme.fontSmall
                font.family: "DejaVu Sans Mono"
                elide: Text.ElideRight
            }
            Text {
                Layout.fillWidth: true
                text: card.why + (card.linked ? qsTr("  ·  linked: health in the list") : "")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideRight
            }
            RowLayout {
                Layout.topMargin: 4
                spacing: Theme.spacing * 2
                TouchButton {
                    objectName: "pair"
                    text: qsTr("Pair…")
                    visible: !card.paired
                    onClicked: { panel.forgetAddress = ""; panel.pairName = card.name; panel.pairAddress = card.address }
                }
                TouchButton {
                    objectName: "connect"
                    text: qsTr("Connect")
                    enabled: !card.linked && card.port.length > 0
                    tint: Theme.accent
                    onClicked: panel.bluetooth.connectDevice(card.address)
                }
                TouchButton {
                    objectName: "forget"
                    text: qsTr("Forget…")
                    onClicked: { panel.pairAddress = ""; panel.forgetName = card.name; panel.forgetAddress = card.address }
                }
            }
        }
    }
}
