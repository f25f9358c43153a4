import Tautband.Ui

PlaceholderPage {
    objectName: "page_login"
    title: qsTr("Log in")
    purpose: qsTr("Therapists, managers, vendor service staff and administrators sign in here; the console locks itself after inactivity and re-login is quick.")
    notYet: qsTr("user accounts, passwords and roles (storage and audit work). Nobody can log in, and no patient data is stored by this build.")
}
