# The Debian package (`cpack -G DEB` in a build tree): both programs,
# migrations and their SQL sources, the back office's files, the systemd
# units, /etc/jobfair/jobfaird.env as a conffile and the maintainer
# scripts in deploy/debian/. Build it from a Release tree for production.
set(JF_DEPLOY ${CMAKE_SOURCE_DIR}/deploy)
install(FILES ${JF_DEPLOY}/systemd/jobfaird.service
              ${JF_DEPLOY}/systemd/jobfaird@.service
        DESTINATION lib/systemd/system)
install(FILES ${JF_DEPLOY}/systemd/jobfaird.env DESTINATION /etc/jobfair)
install(FILES ${CMAKE_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${JF_DEPLOY}/db-roles.sql ${JF_DEPLOY}/nginx/jobfair.conf
        DESTINATION ${CMAKE_INSTALL_DATADIR}/jobfair/deploy OPTIONAL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME jobfair)
set(CPACK_PACKAGE_VENDOR jobfair)
set(CPACK_PACKAGE_CONTACT "jobfair <dev@jobfair.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "job-fair management: server, command-line client")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql, nginx")
# `cpack -D CPACK_DEBIAN_PACKAGE_RELEASE=2` makes an upgrade of the same version.
if(NOT CPACK_DEBIAN_PACKAGE_RELEASE)
  set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${JF_DEPLOY}/debian/conffiles ${JF_DEPLOY}/debian/postinst
    ${JF_DEPLOY}/debian/prerm ${JF_DEPLOY}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
