import Tautband.Ui

PlaceholderPage {
    objectName: "page_devices"
    title: qsTr("Devices")
    purpose: qsTr("Discovered lasers and amplifiers, driver plugin versions, link health, firmware information, conformance results and the simulator switch.")
    notYet: qsTr("device links, driver plugins and simulators (device links and driver SDK work).")
}
