<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>AccountScreen</name>
    <message>
        <source>My PIN and password</source>
        <translation>Mi PIN y contraseña</translation>
    </message>
    <message>
        <source>PIN (6 to 12 digits)</source>
        <translation>PIN (de 6 a 12 dígitos)</translation>
    </message>
    <message>
        <source>Password (at least 10 characters)</source>
        <translation>Contraseña (al menos 10 caracteres)</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>Actual</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nuevo</translation>
    </message>
    <message>
        <source>New again</source>
        <translation>Nuevo otra vez</translation>
    </message>
    <message>
        <source>Change my PIN</source>
        <translation>Cambiar mi PIN</translation>
    </message>
    <message>
        <source>Change my password</source>
        <translation>Cambiar mi contraseña</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>password</source>
        <translation>contraseña</translation>
    </message>
    <message>
        <source>Your {0} is temporary: choose your own now.</source>
        <translation>Su {0} es temporal: elija uno propio ahora.</translation>
    </message>
    <message>
        <source>The two new entries differ.</source>
        <translation>Las dos entradas nuevas no coinciden.</translation>
    </message>
    <message>
        <source>Your PIN is changed.</source>
        <translation>Su PIN está cambiado.</translation>
    </message>
    <message>
        <source>Your password is changed.</source>
        <translation>Su contraseña está cambiada.</translation>
    </message>
</context>
<context>
    <name>AdminHomeScreen</name>
    <message>
        <source>District setup</source>
        <translation>Configuración del distrito</translation>
    </message>
    <message>
        <source>Every change here goes through the same services as the district file (kiosk district apply) and the staff commands: it is checked, written to the audit log, and reaches every kiosk on its next sync.</source>
        <translation>Cada cambio aquí pasa por los mismos servicios que el archivo del distrito (kiosk district apply) y los comandos de personal: se comprueba, se anota en el registro de auditoría y llega a cada quiosco en su próxima sincronización.</translation>
    </message>
</context>
<context>
    <name>AdminReports</name>
    <message>
        <source>Reports are for district admins.</source>
        <translation>Los informes son para los administradores del distrito.</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <source>Technician</source>
        <translation>Técnico</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Administrador</translation>
    </message>
    <message>
        <source>P1 Critical</source>
        <translation>P1 Crítica</translation>
    </message>
    <message>
        <source>P2 High</source>
        <translation>P2 Alta</translation>
    </message>
    <message>
        <source>P3 Normal</source>
        <translation>P3 Normal</translation>
    </message>
    <message>
        <source>P4 Low</source>
        <translation>P4 Baja</translation>
    </message>
    <message>
        <source>device</source>
        <translation>dispositivo</translation>
    </message>
    <message>
        <source>room</source>
        <translation>aula</translation>
    </message>
    <message>
        <source>any</source>
        <translation>cualquiera</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>lunes</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>martes</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>miércoles</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>jueves</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>viernes</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>sábado</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>domingo</translation>
    </message>
    <message>
        <source>Satisfaction (overall 4-5)</source>
        <translation>Satisfacción (general 4-5)</translation>
    </message>
    <message>
        <source>P1 median resolution</source>
        <translation>Mediana de resolución P1</translation>
    </message>
    <message>
        <source>First-response SLA met</source>
        <translation>Primera respuesta en SLA</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Personal</translation>
    </message>
    <message>
        <source>Add technicians and admins, disable leavers (their history stays), give a temporary PIN or password (shown once, changed at the next sign-in), lift a lockout, change roles.</source>
        <translation>Agregue técnicos y administradores, desactive a quienes se van (su historial se conserva), dé un PIN o una contraseña temporal (se muestra una vez y se cambia en el próximo inicio de sesión), quite un bloqueo o cambie roles.</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Apellido</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Correo</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Credencial</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Agregar</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>Restablecer PIN</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>Restablecer contraseña</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Desbloquear</translation>
    </message>
    <message>
        <source>Set role</source>
        <translation>Cambiar rol</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Desactivar</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Activar</translation>
    </message>
    <message>
        <source>Campuses and rooms</source>
        <translation>Planteles y aulas</translation>
    </message>
    <message>
        <source>Campuses and their rooms. Retiring keeps every device and ticket history; a retired campus or room is no longer offered at the kiosks.</source>
        <translation>Los planteles y sus aulas. Dar de baja conserva todo el historial de dispositivos y tickets; un plantel o un aula dados de baja ya no se ofrecen en los quioscos.</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Aula</translation>
    </message>
    <message>
        <source>Add campus</source>
        <translation>Agregar plantel</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Cambiar nombre</translation>
    </message>
    <message>
        <source>Add room</source>
        <translation>Agregar aula</translation>
    </message>
    <message>
        <source>Retire room</source>
        <translation>Dar de baja el aula</translation>
    </message>
    <message>
        <source>Retire campus</source>
        <translation>Dar de baja el plantel</translation>
    </message>
    <message>
        <source>Bring back</source>
        <translation>Reactivar</translation>
    </message>
    <message>
        <source>Service catalog</source>
        <translation>Catálogo de servicios</translation>
    </message>
    <message>
        <source>What the walk-up kiosk offers, in this order, with each problem&apos;s default priority. Hidden categories stay on old tickets.</source>
        <translation>Lo que ofrece el quiosco público, en este orden, con la prioridad predeterminada de cada problema. Las categorías ocultas se conservan en los tickets anteriores.</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clave</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioridad</translation>
    </message>
    <message>
        <source>Icon</source>
        <translation>Ícono</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Alcance</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Orden</translation>
    </message>
    <message>
        <source>Covered</source>
        <translation>Con soporte</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Ocultar</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>SLA targets</source>
        <translation>Metas de SLA</translation>
    </message>
    <message>
        <source>First-response and resolution targets per priority, in business time (working hours, holidays excluded): 30m, 4h, 1h30m.</source>
        <translation>Metas de primera respuesta y de resolución por prioridad, en tiempo hábil (horario laboral, sin días festivos): 30m, 4h, 1h30m.</translation>
    </message>
    <message>
        <source>First response</source>
        <translation>Primera respuesta</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Resolución</translation>
    </message>
    <message>
        <source>Working hours</source>
        <translation>Horario laboral</translation>
    </message>
    <message>
        <source>The district&apos;s business hours per weekday; the SLA clocks run only in them. A closed day has no hours.</source>
        <translation>El horario de atención del distrito por día de la semana; los relojes del SLA solo corren dentro de él. Un día cerrado no tiene horario.</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Horario</translation>
    </message>
    <message>
        <source>Closed that day</source>
        <translation>Cerrar ese día</translation>
    </message>
    <message>
        <source>Holidays</source>
        <translation>Días festivos</translation>
    </message>
    <message>
        <source>Closed days and ranges (breaks, summer): no SLA time, no rotation visits.</source>
        <translation>Días y periodos sin servicio (vacaciones, verano): sin tiempo de SLA ni visitas de rotación.</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>Primer día</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Último día</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <source>Objectives by school year</source>
        <translation>Objetivos por año escolar</translation>
    </message>
    <message>
        <source>Service objectives; each applies from its date until a later one for the same metric (94 % one school year, 97 % the next).</source>
        <translation>Objetivos de servicio; cada uno rige desde su fecha hasta que haya uno posterior para la misma métrica (94 % un año escolar, 97 % el siguiente).</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Métrica</translation>
    </message>
    <message>
        <source>Comparator</source>
        <translation>Comparación</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Meta</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Rotation calendar</source>
        <translation>Calendario de rotación</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>Room audit</source>
        <translation>Auditoría de aula</translation>
    </message>
    <message>
        <source>Scan, or type a tag and press Enter</source>
        <translation>Escanee, o escriba una etiqueta y pulse Intro</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminar</translation>
    </message>
    <message>
        <source>Move into this room (tick each one, or all):</source>
        <translation>Mover a esta aula (marque cada uno, o todos):</translation>
    </message>
    <message>
        <source>Tick all</source>
        <translation>Marcar todos</translation>
    </message>
    <message>
        <source>Untick all</source>
        <translation>Desmarcar todos</translation>
    </message>
    <message>
        <source>Apply the audit…</source>
        <translation>Aplicar la auditoría…</translation>
    </message>
    <message>
        <source>Yes, apply these changes</source>
        <translation>Sí, aplicar estos cambios</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Print the missing list</source>
        <translation>Imprimir la lista de faltantes</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>expected {0} / scanned {1}</source>
        <translation>esperados {0} / escaneados {1}</translation>
    </message>
    <message>
        <source>Room audit: {0}</source>
        <translation>Auditoría de aula: {0}</translation>
    </message>
    <message>
        <source>Scan every device in the room.</source>
        <translation>Escanee cada dispositivo del aula.</translation>
    </message>
    <message>
        <source>⚠ {0} is retired: set it aside, you decide when you apply</source>
        <translation>⚠ {0} está dado de baja: apártelo, usted decide al aplicar</translation>
    </message>
    <message>
        <source>⚠ {0} belongs to another campus: {1}</source>
        <translation>⚠ {0} pertenece a otro plantel: {1}</translation>
    </message>
    <message>
        <source>✓ {0} belongs here</source>
        <translation>✓ {0} pertenece a esta aula</translation>
    </message>
    <message>
        <source>expected</source>
        <translation>esperado</translation>
    </message>
    <message>
        <source>✓ {0} belongs here (it was listed as missing)</source>
        <translation>✓ {0} pertenece a esta aula (figuraba como faltante)</translation>
    </message>
    <message>
        <source>⚠ {0} is registered in {1}</source>
        <translation>⚠ {0} está registrado en {1}</translation>
    </message>
    <message>
        <source>no room</source>
        <translation>sin aula</translation>
    </message>
    <message>
        <source>? {0} is not a registered device</source>
        <translation>? {0} no es un dispositivo registrado</translation>
    </message>
    <message>
        <source>Already scanned: {0}</source>
        <translation>Ya escaneado: {0}</translation>
    </message>
    <message>
        <source> (again)</source>
        <translation> (otra vez)</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>falta</translation>
    </message>
    <message>
        <source>misplaced</source>
        <translation>fuera de lugar</translation>
    </message>
    <message>
        <source>found</source>
        <translation>encontrado</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>dado de baja</translation>
    </message>
    <message>
        <source>other campus</source>
        <translation>otro plantel</translation>
    </message>
    <message>
        <source>listed as missing</source>
        <translation>figuraba como perdido</translation>
    </message>
    <message>
        <source>{0}: left as it is</source>
        <translation>{0}: se deja como está</translation>
    </message>
    <message>
        <source> · another campus</source>
        <translation> · otro plantel</translation>
    </message>
    <message>
        <source> · retired</source>
        <translation> · dado de baja</translation>
    </message>
    <message>
        <source>from {0}</source>
        <translation>de {0}</translation>
    </message>
    <message>
        <source>{0}: {1} found, {2} missing, {3} misplaced, {4} unknown</source>
        <translation>{0}: {1} encontrados, {2} faltantes, {3} fuera de lugar, {4} desconocidos</translation>
    </message>
    <message>
        <source>Move into {0}: {1}</source>
        <translation>Mover a {0}: {1}</translation>
    </message>
    <message>
        <source>Mark as missing: {0}</source>
        <translation>Marcar como faltantes: {0}</translation>
    </message>
    <message>
        <source>Leave where they are registered: {0}</source>
        <translation>Dejar donde están registrados: {0}</translation>
    </message>
    <message>
        <source>Left as they are, for you to decide: {0}</source>
        <translation>Se dejan como están, para que usted decida: {0}</translation>
    </message>
    <message>
        <source>Nothing changes except the last-audited date of the devices found.</source>
        <translation>No cambia nada salvo la fecha de última auditoría de los dispositivos encontrados.</translation>
    </message>
    <message>
        <source>moved here</source>
        <translation>movido aquí</translation>
    </message>
    <message>
        <source>marked missing</source>
        <translation>marcado como faltante</translation>
    </message>
    <message>
        <source>follow up</source>
        <translation>dar seguimiento</translation>
    </message>
    <message>
        <source>back in service</source>
        <translation>de nuevo en servicio</translation>
    </message>
    <message>
        <source>was missing</source>
        <translation>estaba faltante</translation>
    </message>
    <message>
        <source>not marked</source>
        <translation>sin marcar</translation>
    </message>
    <message>
        <source>in repair or on loan</source>
        <translation>en reparación o prestado</translation>
    </message>
    <message>
        <source>left elsewhere</source>
        <translation>se deja en otro lugar</translation>
    </message>
    <message>
        <source>needs a decision</source>
        <translation>requiere una decisión</translation>
    </message>
    <message>
        <source>retired, found here</source>
        <translation>dado de baja, encontrado aquí</translation>
    </message>
    <message>
        <source>Applied {0}: {1} moved, {2} marked missing, {3} audited</source>
        <translation>Aplicada {0}: {1} movidos, {2} marcados como faltantes, {3} auditados</translation>
    </message>
</context>
<context>
    <name>CampusPickScreen</name>
    <message>
        <source>Which campus is this kiosk in?</source>
        <translation>¿En qué plantel está este quiosco?</translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <source>Cracked or broken screen</source>
        <translation>Pantalla rota</translation>
    </message>
    <message>
        <source>Won&apos;t turn on or charge</source>
        <translation>No enciende o no carga</translation>
    </message>
    <message>
        <source>Keyboard, trackpad or keys</source>
        <translation>Teclado, panel táctil o teclas</translation>
    </message>
    <message>
        <source>Can&apos;t sign in</source>
        <translation>No puedo iniciar sesión</translation>
    </message>
    <message>
        <source>App or website not working</source>
        <translation>Una app o web no funciona</translation>
    </message>
    <message>
        <source>Liquid or physical damage</source>
        <translation>Daño por líquido o golpe</translation>
    </message>
    <message>
        <source>Sound, camera or microphone</source>
        <translation>Sonido, cámara o micrófono</translation>
    </message>
    <message>
        <source>Lost or stolen</source>
        <translation>Perdido o robado</translation>
    </message>
    <message>
        <source>Wi-Fi or network down</source>
        <translation>Sin Wi-Fi o sin red</translation>
    </message>
    <message>
        <source>Projector or display panel</source>
        <translation>Proyector o pantalla del aula</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Impresora</translation>
    </message>
    <message>
        <source>Personal or home device</source>
        <translation>Equipo personal o de casa</translation>
    </message>
    <message>
        <source>Something else</source>
        <translation>Otra cosa</translation>
    </message>
    <message>
        <source>laptop</source>
        <translation>computadora portátil</translation>
    </message>
    <message>
        <source>chromebook</source>
        <translation>Chromebook</translation>
    </message>
    <message>
        <source>tablet</source>
        <translation>tableta</translation>
    </message>
    <message>
        <source>desktop</source>
        <translation>computadora de escritorio</translation>
    </message>
    <message>
        <source>projector</source>
        <translation>proyector</translation>
    </message>
    <message>
        <source>printer</source>
        <translation>impresora</translation>
    </message>
    <message>
        <source>display</source>
        <translation>pantalla</translation>
    </message>
    <message>
        <source>hotspot</source>
        <translation>punto de acceso</translation>
    </message>
    <message>
        <source>interactive panel</source>
        <translation>panel interactivo</translation>
    </message>
    <message>
        <source>document camera</source>
        <translation>cámara de documentos</translation>
    </message>
    <message>
        <source>access point</source>
        <translation>punto de acceso</translation>
    </message>
</context>
<context>
    <name>CategoryScreen</name>
    <message>
        <source>What is the problem?</source>
        <translation>¿Cuál es el problema?</translation>
    </message>
    <message>
        <source>(not covered by district support)</source>
        <translation>(sin soporte del distrito)</translation>
    </message>
</context>
<context>
    <name>Changes</name>
    <message>
        <source>Created</source>
        <translation>Alta</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Cambio</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>Baja</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Activación</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Desactivación</translation>
    </message>
    <message>
        <source>Shown</source>
        <translation>Visible</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>Oculta</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Eliminación</translation>
    </message>
    <message>
        <source>campus</source>
        <translation>plantel</translation>
    </message>
    <message>
        <source>room</source>
        <translation>aula</translation>
    </message>
    <message>
        <source>staff account</source>
        <translation>cuenta de personal</translation>
    </message>
    <message>
        <source>category</source>
        <translation>categoría</translation>
    </message>
    <message>
        <source>holiday</source>
        <translation>feriado</translation>
    </message>
    <message>
        <source>objective</source>
        <translation>objetivo</translation>
    </message>
    <message>
        <source>rotation visit</source>
        <translation>visita de rotación</translation>
    </message>
    <message>
        <source>visit change</source>
        <translation>cambio de visita</translation>
    </message>
    <message>
        <source>SLA target</source>
        <translation>objetivo de SLA</translation>
    </message>
    <message>
        <source>district</source>
        <translation>distrito</translation>
    </message>
    <message>
        <source>working hours</source>
        <translation>horario laboral</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>first name</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>last name</source>
        <translation>apellido</translation>
    </message>
    <message>
        <source>email</source>
        <translation>correo</translation>
    </message>
    <message>
        <source>role</source>
        <translation>rol</translation>
    </message>
    <message>
        <source>badge code</source>
        <translation>credencial</translation>
    </message>
    <message>
        <source>active</source>
        <translation>activo</translation>
    </message>
    <message>
        <source>lead of campus</source>
        <translation>responsable de plantel</translation>
    </message>
    <message>
        <source>scope</source>
        <translation>alcance</translation>
    </message>
    <message>
        <source>default priority</source>
        <translation>prioridad predeterminada</translation>
    </message>
    <message>
        <source>opens</source>
        <translation>apertura</translation>
    </message>
    <message>
        <source>closes</source>
        <translation>cierre</translation>
    </message>
    <message>
        <source>end date</source>
        <translation>fecha de fin</translation>
    </message>
    <message>
        <source>valid to</source>
        <translation>válido hasta</translation>
    </message>
    <message>
        <source>comparator</source>
        <translation>comparador</translation>
    </message>
    <message>
        <source>target</source>
        <translation>meta</translation>
    </message>
    <message>
        <source>response minutes</source>
        <translation>minutos de respuesta</translation>
    </message>
    <message>
        <source>resolution minutes</source>
        <translation>minutos de resolución</translation>
    </message>
    <message>
        <source>window start</source>
        <translation>inicio del horario</translation>
    </message>
    <message>
        <source>window end</source>
        <translation>fin del horario</translation>
    </message>
    <message>
        <source>note</source>
        <translation>nota</translation>
    </message>
    <message>
        <source>name es</source>
        <translation>nombre en español</translation>
    </message>
    <message>
        <source>{0}: no change</source>
        <translation>{0}: sin cambios</translation>
    </message>
</context>
<context>
    <name>CheckTicketScreen</name>
    <message>
        <source>Check a ticket</source>
        <translation>Consultar un ticket</translation>
    </message>
    <message>
        <source>Ticket number, e.g. LE01-7KQ2MX</source>
        <translation>Número de ticket, p. ej. LE01-7KQ2MX</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Consultar</translation>
    </message>
    <message>
        <source>Hold your receipt&apos;s code up to the camera, or type the ticket number.</source>
        <translation>Muestre el código de su comprobante a la cámara, o escriba el número del ticket.</translation>
    </message>
    <message>
        <source>Not solved? Tell the technician</source>
        <translation>¿No se resolvió? Avise al técnico</translation>
    </message>
    <message>
        <source>The school ID number or email you reported with</source>
        <translation>El número de identificación escolar o correo con el que reportó</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <source>What is still wrong? (optional)</source>
        <translation>¿Qué sigue fallando? (opcional)</translation>
    </message>
    <message>
        <source>Reopen my ticket</source>
        <translation>Reabrir mi ticket</translation>
    </message>
    <message>
        <source>Ticket {0}: {1}</source>
        <translation>Ticket {0}: {1}</translation>
    </message>
    <message>
        <source>Problem: {0}, {1}</source>
        <translation>Problema: {0}, {1}</translation>
    </message>
    <message>
        <source>Reported: {0}</source>
        <translation>Reportado: {0}</translation>
    </message>
    <message>
        <source>Last update ({0}): {1}</source>
        <translation>Última novedad ({0}): {1}</translation>
    </message>
    <message>
        <source>Expected fix by: {0}</source>
        <translation>Reparación prevista para: {0}</translation>
    </message>
    <message>
        <source>Next technician visit: {0} {1}–{2}</source>
        <translation>Próxima visita del técnico: {0} {1}–{2}</translation>
    </message>
</context>
<context>
    <name>CountStockScreen</name>
    <message>
        <source>Count stock</source>
        <translation>Contar existencias</translation>
    </message>
    <message>
        <source>Scan the label of every part on the shelf, one scan per part. Parts this campus keeps that are not scanned are counted as none.</source>
        <translation>Escanee la etiqueta de cada pieza del estante, un escaneo por pieza. Las piezas que este plantel guarda y no se escanean cuentan como ninguna.</translation>
    </message>
    <message>
        <source>Scan a part label, or type its code and press Enter</source>
        <translation>Escanee la etiqueta de una pieza, o escriba su código y pulse Intro</translation>
    </message>
    <message>
        <source>Undo the last scan</source>
        <translation>Deshacer el último escaneo</translation>
    </message>
    <message>
        <source>Apply the count</source>
        <translation>Aplicar el conteo</translation>
    </message>
    <message>
        <source>{0}: {1} scans · {2} parts · {3} differ from the ledger</source>
        <translation>{0}: {1} escaneos · {2} piezas · {3} difieren del registro</translation>
    </message>
    <message>
        <source> · last: {0}</source>
        <translation> · último: {0}</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <source>Monday</source>
        <translation>lunes</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>martes</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>miércoles</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>jueves</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>viernes</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>sábado</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>domingo</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>lun</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>mar</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>mié</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>jue</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>vie</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>sáb</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>dom</translation>
    </message>
    <message>
        <source>January</source>
        <translation>enero</translation>
    </message>
    <message>
        <source>February</source>
        <translation>febrero</translation>
    </message>
    <message>
        <source>March</source>
        <translation>marzo</translation>
    </message>
    <message>
        <source>April</source>
        <translation>abril</translation>
    </message>
    <message>
        <source>May</source>
        <translation>mayo</translation>
    </message>
    <message>
        <source>June</source>
        <translation>junio</translation>
    </message>
    <message>
        <source>July</source>
        <translation>julio</translation>
    </message>
    <message>
        <source>August</source>
        <translation>agosto</translation>
    </message>
    <message>
        <source>September</source>
        <translation>septiembre</translation>
    </message>
    <message>
        <source>October</source>
        <translation>octubre</translation>
    </message>
    <message>
        <source>November</source>
        <translation>noviembre</translation>
    </message>
    <message>
        <source>December</source>
        <translation>diciembre</translation>
    </message>
    <message>
        <source>Jan</source>
        <translation>ene</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>feb</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>mar</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>abr</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>jun</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>jul</translation>
    </message>
    <message>
        <source>Aug</source>
        <translation>ago</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>sept</translation>
    </message>
    <message>
        <source>Oct</source>
        <translation>oct</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>nov</translation>
    </message>
    <message>
        <source>Dec</source>
        <translation>dic</translation>
    </message>
    <message>
        <source>{0} {1}</source>
        <translation>{0} de {1}</translation>
    </message>
    <message>
        <source>{0} {1} {2}</source>
        <translation>{0} de {1} de {2}</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <source>Repaired on site</source>
        <translation>Reparado en el momento</translation>
    </message>
    <message>
        <source>Part replaced</source>
        <translation>Pieza cambiada</translation>
    </message>
    <message>
        <source>Sent to depot</source>
        <translation>Enviado a reparación externa</translation>
    </message>
    <message>
        <source>Replaced with spare</source>
        <translation>Cambiado por uno de repuesto</translation>
    </message>
    <message>
        <source>User training</source>
        <translation>Orientación al usuario</translation>
    </message>
    <message>
        <source>No fault found</source>
        <translation>No se encontró ninguna falla</translation>
    </message>
    <message>
        <source>Repair at no charge; go over device care with the student</source>
        <translation>Reparación sin costo; repasar con el estudiante el cuidado del dispositivo</translation>
    </message>
    <message>
        <source>Fee of $25; the school calls home</source>
        <translation>Cargo de $25; la escuela llama a la familia</translation>
    </message>
    <message>
        <source>Fee of the full repair cost; meeting with a parent; the device stays at school</source>
        <translation>Cargo del costo total de la reparación; reunión con un padre o madre; el dispositivo se queda en la escuela</translation>
    </message>
    <message>
        <source>Remove the device from the management console (Chromebooks: Google Admin, deprovision)</source>
        <translation>Quitar el dispositivo de la consola de administración (Chromebooks: Google Admin, desaprovisionar)</translation>
    </message>
    <message>
        <source>Note the serial number and the vendor&apos;s case number on the ticket</source>
        <translation>Anotar en el ticket el número de serie y el número de caso del proveedor</translation>
    </message>
    <message>
        <source>Photograph the damage</source>
        <translation>Fotografiar el daño</translation>
    </message>
    <message>
        <source>Keep the charger and the asset tag record at school</source>
        <translation>Dejar en la escuela el cargador y el registro de la etiqueta de inventario</translation>
    </message>
</context>
<context>
    <name>DeskScreen</name>
    <message>
        <source>Repair desk</source>
        <translation>Mesa de reparaciones</translation>
    </message>
    <message>
        <source>Loaner tag (scan it)</source>
        <translation>Etiqueta del préstamo (escanéala)</translation>
    </message>
    <message>
        <source>Student or teacher ID / email</source>
        <translation>ID o correo del estudiante o maestro</translation>
    </message>
    <message>
        <source>Broken device tag (optional)</source>
        <translation>Etiqueta del dispositivo dañado (opcional)</translation>
    </message>
    <message>
        <source>Lend the loaner</source>
        <translation>Prestar el equipo</translation>
    </message>
    <message>
        <source>Loaner returned</source>
        <translation>Préstamo devuelto</translation>
    </message>
    <message>
        <source>Walk-in fixed on the spot</source>
        <translation>Visita resuelta en el momento</translation>
    </message>
    <message>
        <source>Settle the selected double loan</source>
        <translation>Resolver el préstamo doble seleccionado</translation>
    </message>
    <message>
        <source>Count stock</source>
        <translation>Contar existencias</translation>
    </message>
    <message>
        <source>Loans out</source>
        <translation>Préstamos fuera</translation>
    </message>
    <message>
        <source>Parts at or below their reorder level</source>
        <translation>Piezas en su nivel de pedido o por debajo</translation>
    </message>
    <message>
        <source>Available: {0}</source>
        <translation>Disponibles: {0}</translation>
    </message>
    <message>
        <source>Lent twice while offline: {0} to {1} does not count, it was checked out first {2}. Get it back from {1} or give them another loaner, then settle it.</source>
        <translation>Prestado dos veces sin conexión: el préstamo de {0} a {1} no cuenta, se prestó primero {2}. Recupéralo de {1} o dale otro equipo de préstamo, y luego resuélvelo.</translation>
    </message>
    <message>
        <source>void (lent twice)</source>
        <translation>anulado (prestado dos veces)</translation>
    </message>
    <message>
        <source>{0} days late</source>
        <translation>{0} días de retraso</translation>
    </message>
    <message>
        <source>out</source>
        <translation>prestado</translation>
    </message>
    <message>
        <source>Select a loan marked &apos;void (lent twice)&apos; first.</source>
        <translation>Primero selecciona un préstamo marcado &apos;anulado (prestado dos veces)&apos;.</translation>
    </message>
</context>
<context>
    <name>DetailsScreen</name>
    <message>
        <source>Low: it can wait</source>
        <translation>Baja: puede esperar</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>High: I can&apos;t work</source>
        <translation>Alta: no puedo trabajar</translation>
    </message>
    <message>
        <source>Critical: a whole class can&apos;t work</source>
        <translation>Crítica: toda una clase no puede trabajar</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>Estudiante</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>Docente</translation>
    </message>
    <message>
        <source>Other staff</source>
        <translation>Otro personal</translation>
    </message>
    <message>
        <source>Tell us a little more</source>
        <translation>Cuéntenos un poco más</translation>
    </message>
    <message>
        <source>What happened? For example: the screen is cracked</source>
        <translation>¿Qué pasó? Por ejemplo: la pantalla está rota</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>Your school ID number or school email</source>
        <translation>Su número de estudiante o correo de la escuela</translation>
    </message>
    <message>
        <source>What is wrong?</source>
        <translation>¿Qué falla?</translation>
    </message>
    <message>
        <source>Who are you?</source>
        <translation>¿Quién es usted?</translation>
    </message>
    <message>
        <source>How urgent?</source>
        <translation>¿Qué tan urgente?</translation>
    </message>
    <message>
        <source>Add a photo (optional)</source>
        <translation>Agregar una foto (opcional)</translation>
    </message>
    <message>
        <source>Send report</source>
        <translation>Enviar reporte</translation>
    </message>
    <message>
        <source>{0} of {1} characters</source>
        <translation>{0} de {1} caracteres</translation>
    </message>
    <message>
        <source>Retake photo</source>
        <translation>Repetir la foto</translation>
    </message>
</context>
<context>
    <name>DeviceCardScreen</name>
    <message>
        <source>Your device</source>
        <translation>Su dispositivo</translation>
    </message>
    <message>
        <source>Report a problem with this device</source>
        <translation>Reportar un problema con este dispositivo</translation>
    </message>
    <message>
        <source>no room on record</source>
        <translation>sin aula registrada</translation>
    </message>
    <message>
        <source>{0} · registered in {1}</source>
        <translation>{0} · registrado en {1}</translation>
    </message>
    <message>
        <source>No open tickets on this device.</source>
        <translation>Este dispositivo no tiene tickets abiertos.</translation>
    </message>
    <message>
        <source>Open tickets on this device: {0}</source>
        <translation>Tickets abiertos de este dispositivo: {0}</translation>
    </message>
    <message>
        <source>Did you report ticket {0}? Tell us how the repair went</source>
        <translation>¿Reportó usted el ticket {0}? Cuéntenos cómo fue la reparación</translation>
    </message>
</context>
<context>
    <name>DeviceScreen</name>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Aula</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Número de serie</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>Guardar cambios</translation>
    </message>
    <message>
        <source>Why retire it?</source>
        <translation>¿Por qué darlo de baja?</translation>
    </message>
    <message>
        <source>Retire device…</source>
        <translation>Dar de baja el dispositivo…</translation>
    </message>
    <message>
        <source>Yes, retire it</source>
        <translation>Sí, darlo de baja</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>Give a reason to retire the device (at least 3 characters).</source>
        <translation>Indique un motivo para dar de baja el dispositivo (al menos 3 caracteres).</translation>
    </message>
    <message>
        <source> Its open tickets {0} get a note saying so.</source>
        <translation> Sus tickets abiertos {0} reciben una nota que lo indica.</translation>
    </message>
    <message>
        <source>Retire {0} {1} because “{2}”? It will no longer be expected in audits.{3}</source>
        <translation>¿Dar de baja {0} {1} porque «{2}»? Ya no se esperará en las auditorías.{3}</translation>
    </message>
    <message>
        <source>{0} / {1} · {2} · bought {3} for {4} · warranty to {5} · last audit {6}&lt;br&gt;{7} repairs, {8} minutes, parts: {9}</source>
        <translation>{0} / {1} · {2} · comprado {3} por {4} · garantía hasta {5} · última auditoría {6}&lt;br&gt;{7} reparaciones, {8} minutos, piezas: {9}</translation>
    </message>
    <message>
        <source>ticket</source>
        <translation>ticket</translation>
    </message>
    <message>
        <source>event</source>
        <translation>evento</translation>
    </message>
    <message>
        <source>repair</source>
        <translation>reparación</translation>
    </message>
    <message>
        <source>move</source>
        <translation>traslado</translation>
    </message>
    <message>
        <source>audit</source>
        <translation>auditoría</translation>
    </message>
    <message>
        <source> · parts cost ${0:,.2f}</source>
        <translation> · costo de piezas ${0:,.2f}</translation>
    </message>
    <message>
        <source>Troublesome: repeated repairs in a short time</source>
        <translation>Problemático: reparaciones repetidas en poco tiempo</translation>
    </message>
</context>
<context>
    <name>DistrictAdmin</name>
    <message>
        <source>elementary</source>
        <translation>primaria</translation>
    </message>
    <message>
        <source>middle</source>
        <translation>secundaria</translation>
    </message>
    <message>
        <source>high</source>
        <translation>preparatoria</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>administración</translation>
    </message>
    <message>
        <source>This kiosk is enrolled: the district&apos;s setup is changed on the district service, from a desk PC running kiosk --url postgresql+psycopg://... (or kiosk district apply there). Here you can look; changes reach this kiosk at its next sync.</source>
        <translation>Este quiosco está inscrito: la configuración del distrito se cambia en el servicio del distrito, desde una PC de escritorio con kiosk --url postgresql+psycopg://... (o kiosk district apply allí). Aquí puede consultarla; los cambios llegan a este quiosco en su próxima sincronización.</translation>
    </message>
    <message>
        <source>active</source>
        <translation>activo</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>desactivado</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>shown</source>
        <translation>visible</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>oculta</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>cerrado</translation>
    </message>
    <message>
        <source>The district server cannot be reached, so nothing was changed. Try again when this kiosk is back online (the sync line on Home says so).</source>
        <translation>No se puede contactar con el servidor del distrito, así que no se cambió nada. Vuelva a intentarlo cuando este quiosco esté en línea de nuevo (lo indica la línea de sincronización en Inicio).</translation>
    </message>
    <message>
        <source>Your session on the district server has ended, so nothing was changed. Sign out and sign in again to make changes.</source>
        <translation>Su sesión en el servidor del distrito ha terminado, así que no se cambió nada. Cierre la sesión y vuelva a iniciarla para hacer cambios.</translation>
    </message>
    <message>
        <source>Temporary PIN for {0}: {1} (shown once; changed at the next sign-in)</source>
        <translation>PIN temporal de {0}: {1} (se muestra una vez; se cambia en el próximo inicio de sesión)</translation>
    </message>
    <message>
        <source>Temporary password for {0}: {1} (shown once; changed at the next sign-in)</source>
        <translation>Contraseña temporal de {0}: {1} (se muestra una vez; se cambia en el próximo inicio de sesión)</translation>
    </message>
    <message>
        <source>{0} unlocked.</source>
        <translation>{0} desbloqueado.</translation>
    </message>
    <message>
        <source>{0} was not locked.</source>
        <translation>{0} no estaba bloqueado.</translation>
    </message>
    <message>
        <source>No change.</source>
        <translation>Sin cambios.</translation>
    </message>
    <message>
        <source>Give the extra visit&apos;s window, e.g. 13:00-15:00.</source>
        <translation>Indique el horario de la visita adicional, p. ej. 13:00-15:00.</translation>
    </message>
    <message>
        <source>(retired: {0})</source>
        <translation>(de baja: {0})</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>password</source>
        <translation>contraseña</translation>
    </message>
    <message>
        <source>badge</source>
        <translation>credencial</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>ninguno todavía</translation>
    </message>
    <message>
        <source>{0} (temporary)</source>
        <translation>{0} (temporal)</translation>
    </message>
    <message>
        <source>{0} LOCKED</source>
        <translation>{0} BLOQUEADO</translation>
    </message>
</context>
<context>
    <name>Domain</name>
    <message>
        <source>a catalogue part&apos;s cost is the catalogue&apos;s unit cost times the quantity: leave the cost out (or type the parts as free text with their cost)</source>
        <translation>el costo de una pieza del catálogo es su costo unitario por la cantidad: no escriba el costo (o escriba las piezas como texto libre con su costo)</translation>
    </message>
    <message>
        <source>cannot tell the campus from the room in {0} (it splits more than one way): write it as &apos;Campus / Room&apos; or create the campus first</source>
        <translation>no se distingue el plantel del aula en {0} (se puede dividir de más de una forma): escríbalo como &apos;Plantel / Aula&apos; o cree primero el plantel</translation>
    </message>
    <message>
        <source>nothing was scanned: scan the part labels on the shelf first (a shelf that is really empty: kiosk parts stock CODE --count 0)</source>
        <translation>no se escaneó nada: primero escanee las etiquetas de las piezas del estante (para un estante realmente vacío: kiosk parts stock CODE --count 0)</translation>
    </message>
    <message>
        <source>reporter.email_domains must be [{{&quot;domain&quot;: &quot;rusd.example&quot;, &quot;kind&quot;: &quot;student&quot;, &quot;teacher&quot;, &quot;staff&quot; or left out}}, ...]</source>
        <translation>reporter.email_domains debe ser [{{&quot;domain&quot;: &quot;rusd.example&quot;, &quot;kind&quot;: &quot;student&quot;, &quot;teacher&quot;, &quot;staff&quot; u omitido}}, ...]</translation>
    </message>
    <message>
        <source>unknown status {0} (use {1} or a Snipe-IT label such as Deployed, Ready to Deploy, Pending, Archived, Broken, Lost/Stolen)</source>
        <translation>estado desconocido {0} (use {1} o una etiqueta de Snipe-IT como Deployed, Ready to Deploy, Pending, Archived, Broken, Lost/Stolen)</translation>
    </message>
    <message>
        <source>unknown location {0} (expected &apos;Campus / Room&apos; or a campus; --create-locations creates missing ones)</source>
        <translation>ubicación desconocida {0} (se espera &apos;Plantel / Aula&apos; o un plantel; --create-locations crea las que falten)</translation>
    </message>
    <message>
        <source>{0}: expected Snipe-IT&apos;s Locations export (Name, Parent, ...) or a campus,room CSV; the header has {1}</source>
        <translation>{0}: se espera la exportación de ubicaciones de Snipe-IT (Name, Parent, ...) o un CSV plantel,aula; el encabezado tiene {1}</translation>
    </message>
    <message>
        <source>{0} is already auditing room {1}; they need to finish or cancel that audit before another one starts</source>
        <translation>{0} ya está auditando el aula {1}; debe terminar o cancelar esa auditoría antes de empezar otra</translation>
    </message>
    <message>
        <source>malformed database URL {0}: expected e.g. sqlite:///path.db or postgresql+psycopg://user@host/db</source>
        <translation>URL de base de datos mal formada {0}: se espera p. ej. sqlite:///ruta.db o postgresql+psycopg://usuario@servidor/bd</translation>
    </message>
    <message>
        <source>loaner.terms must be [{{&quot;name&quot;: &quot;Fall&quot;, &quot;first&quot;: &quot;YYYY-MM-DD&quot;, &quot;last&quot;: &quot;YYYY-MM-DD&quot;}}, ...]</source>
        <translation>loaner.terms debe ser [{{&quot;name&quot;: &quot;Otoño&quot;, &quot;first&quot;: &quot;AAAA-MM-DD&quot;, &quot;last&quot;: &quot;AAAA-MM-DD&quot;}}, ...]</translation>
    </message>
    <message>
        <source>resolution.codes must be [{{&quot;code&quot;: &quot;...&quot;, &quot;label&quot;: &quot;...&quot;}}, ...] (codes up to 32 chars)</source>
        <translation>resolution.codes debe ser [{{&quot;code&quot;: &quot;...&quot;, &quot;label&quot;: &quot;...&quot;}}, ...] (códigos de hasta 32 caracteres)</translation>
    </message>
    <message>
        <source>this database has no district yet: apply a district file first (kiosk district apply)</source>
        <translation>esta base de datos aún no tiene distrito: primero aplique un archivo de distrito (kiosk district apply)</translation>
    </message>
    <message>
        <source>the QR code for {0} does not fit on {1} labels at a readable size; choose a larger label</source>
        <translation>el código QR de {0} no cabe en etiquetas {1} con un tamaño legible; elija una etiqueta más grande</translation>
    </message>
    <message>
        <source>days and min_devices must be at least 1, factor above 0, min_repairs not negative</source>
        <translation>days y min_devices deben ser al menos 1, factor mayor que 0 y min_repairs no negativo</translation>
    </message>
    <message>
        <source>{0} fields but the header has {1} (an unquoted comma or semicolon inside a value?)</source>
        <translation>{0} campos, pero el encabezado tiene {1} (¿una coma o un punto y coma sin comillas dentro de un valor?)</translation>
    </message>
    <message>
        <source>a plan covers a model or a purchase order: give --model or --purchase-order</source>
        <translation>un plan cubre un modelo o una orden de compra: indique --model o --purchase-order</translation>
    </message>
    <message>
        <source>damage.policy must be [{{&quot;action&quot;: &quot;...&quot;, &quot;fee_cents&quot;: 2500 or null}}, ...]</source>
        <translation>damage.policy debe ser [{{&quot;action&quot;: &quot;...&quot;, &quot;fee_cents&quot;: 2500 o null}}, ...]</translation>
    </message>
    <message>
        <source>enter your school ID number (4-16 letters or digits) or your school email</source>
        <translation>escriba su número de identificación escolar (4-16 letras o dígitos) o su correo escolar</translation>
    </message>
    <message>
        <source>the Code128 symbol for {0} is too wide for {1} labels at a readable bar width; {2}</source>
        <translation>el símbolo Code128 de {0} es demasiado ancho para etiquetas {1} con barras legibles; {2}</translation>
    </message>
    <message>
        <source>this reporter already has {0} loaner(s) out (the limit is {1}); return it first</source>
        <translation>esta persona ya tiene {0} equipo(s) de préstamo (el límite es {1}); primero debe devolverlo</translation>
    </message>
    <message>
        <source>that PIN is too easy to guess (all one digit, or a run like 123456)</source>
        <translation>ese PIN es demasiado fácil de adivinar (un solo dígito repetido, o una serie como 123456)</translation>
    </message>
    <message>
        <source>priority must be P1 (critical), P2 (high), P3 (normal) or P4 (low)</source>
        <translation>la prioridad debe ser P1 (crítica), P2 (alta), P3 (normal) o P4 (baja)</translation>
    </message>
    <message>
        <source>{0} is not a tag prefix (capital letters, digits and &apos;-&apos;, at most 16)</source>
        <translation>{0} no es un prefijo de etiqueta (mayúsculas, dígitos y &apos;-&apos;, como máximo 16)</translation>
    </message>
    <message>
        <source>only the person who reported this ticket can say it is not solved</source>
        <translation>solo la persona que reportó este ticket puede decir que no está resuelto</translation>
    </message>
    <message>
        <source>{0} is not a username (letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, at most 64)</source>
        <translation>{0} no es un nombre de usuario (letras, dígitos, &apos;.&apos;, &apos;_&apos; o &apos;-&apos;, como máximo 64)</translation>
    </message>
    <message>
        <source>{0}: the resolution target is shorter than the first-response target</source>
        <translation>{0}: el objetivo de resolución es más corto que el de primera respuesta</translation>
    </message>
    <message>
        <source>this survey has already been answered or has expired, thank you</source>
        <translation>esta encuesta ya fue respondida o venció, gracias</translation>
    </message>
    <message>
        <source>unsupported database {0}: use sqlite:/// or postgresql+psycopg://</source>
        <translation>base de datos no admitida {0}: use sqlite:/// o postgresql+psycopg://</translation>
    </message>
    <message>
        <source>{0} of the devices to move were not found misplaced in this audit</source>
        <translation>{0} de los dispositivos por mover no aparecieron como fuera de lugar en esta auditoría</translation>
    </message>
    <message>
        <source>{0}: give a part as SKU or SKU:QTY, with a quantity from 1 to 100</source>
        <translation>{0}: indique una pieza como SKU o SKU:CANT, con una cantidad de 1 a 100</translation>
    </message>
    <message>
        <source>location {0} is a room on {1} campuses; write it as &apos;Campus / Room&apos;</source>
        <translation>la ubicación {0} es un aula en {1} planteles; escríbala como &apos;Plantel / Aula&apos;</translation>
    </message>
    <message>
        <source>{0} is not a part code (2-32 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;)</source>
        <translation>{0} no es un código de pieza (2-32 letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;)</translation>
    </message>
    <message>
        <source>give a reason to retire the device (at least 3 characters)</source>
        <translation>indique un motivo para dar de baja el dispositivo (al menos 3 caracteres)</translation>
    </message>
    <message>
        <source>this reporter has had {0} loaners this term ({1}); the limit is {2}</source>
        <translation>esta persona ya tuvo {0} equipos de préstamo este periodo ({1}); el límite es {2}</translation>
    </message>
    <message>
        <source>the parts cost must be an amount of 0 or more, like 12.50</source>
        <translation>el costo de piezas debe ser un importe de 0 o más, como 12.50</translation>
    </message>
    <message>
        <source>school_year.start is a month and day, MM-DD (e.g. 08-01)</source>
        <translation>school_year.start es un mes y un día, MM-DD (p. ej. 08-01)</translation>
    </message>
    <message>
        <source>{0} is not a campus code (1-16 letters, digits, &apos;-&apos; or &apos;_&apos;)</source>
        <translation>{0} no es un código de plantel (1-16 letras, dígitos, &apos;-&apos; o &apos;_&apos;)</translation>
    </message>
    <message>
        <source>{0} is not a duration like 30m, 4h or 1h30m (business time)</source>
        <translation>{0} no es una duración como 30m, 4h o 1h30m (horario laboral)</translation>
    </message>
    <message>
        <source>{0} is the last active admin: make someone else admin first</source>
        <translation>{0} es el último administrador activo: primero nombre administrador a otra persona</translation>
    </message>
    <message>
        <source>cannot tell the campus in {0}: write it as &apos;Campus / Room&apos;</source>
        <translation>no se distingue el plantel en {0}: escríbalo como &apos;Plantel / Aula&apos;</translation>
    </message>
    <message>
        <source>name a catalogue part or type the parts used, not both</source>
        <translation>elija una pieza del catálogo o escriba las piezas usadas, no ambas cosas</translation>
    </message>
    <message>
        <source>that is not a ticket number (it looks like ABC-7KQ2MX)</source>
        <translation>eso no es un número de ticket (se parece a ABC-7KQ2MX)</translation>
    </message>
    <message>
        <source>a report needs a device, a room or the kiosk&apos;s campus</source>
        <translation>un reporte necesita un dispositivo, un aula o el plantel del quiosco</translation>
    </message>
    <message>
        <source>only a district admin can change the district&apos;s setup</source>
        <translation>solo un administrador del distrito puede cambiar la configuración del distrito</translation>
    </message>
    <message>
        <source>printer resolution {0} dpi is out of range (150 to 2400)</source>
        <translation>la resolución de impresora de {0} ppp está fuera de rango (150 a 2400)</translation>
    </message>
    <message>
        <source>the tag pattern {0} is not a valid regular expression ({1})</source>
        <translation>el patrón de etiqueta {0} no es una expresión regular válida ({1})</translation>
    </message>
    <message>
        <source>ticket {0} is not resolved yet; resolve it with its code</source>
        <translation>el ticket {0} aún no está resuelto; resuélvalo con su código</translation>
    </message>
    <message>
        <source>{0} is not a weekday (mon, tue, wed, thu, fri, sat, sun)</source>
        <translation>{0} no es un día de la semana (mon, tue, wed, thu, fri, sat, sun)</translation>
    </message>
    <message>
        <source>an extra visit on {0} needs a window (e.g. 08:00-11:30)</source>
        <translation>una visita adicional el {0} necesita un horario (p. ej. 08:00-11:30)</translation>
    </message>
    <message>
        <source>a technician confirms loaners here: scan your badge</source>
        <translation>aquí un técnico confirma los préstamos: escanee su credencial</translation>
    </message>
    <message>
        <source>the parts catalogue is kept on the central database</source>
        <translation>el catálogo de piezas se mantiene en la base de datos central</translation>
    </message>
    <message>
        <source>only a district admin changes repair-desk settings</source>
        <translation>solo un administrador del distrito cambia la configuración de la mesa de reparaciones</translation>
    </message>
    <message>
        <source>{0} belongs to another campus: lend it a loaner there</source>
        <translation>{0} pertenece a otro plantel: préstele un equipo allí</translation>
    </message>
    <message>
        <source>{0} is not an asset tag (3-32 letters, digits or &apos;-&apos;)</source>
        <translation>{0} no es una etiqueta de inventario (3-32 letras, dígitos o &apos;-&apos;)</translation>
    </message>
    <message>
        <source>give at least one prefix, or leave tag_prefix out</source>
        <translation>indique al menos un prefijo, u omita tag_prefix</translation>
    </message>
    <message>
        <source>only a district admin changes the parts catalogue</source>
        <translation>solo un administrador del distrito cambia el catálogo de piezas</translation>
    </message>
    <message>
        <source>purchase_cost must be an amount like 329.99, not {0}</source>
        <translation>purchase_cost debe ser un importe como 329.99, no {0}</translation>
    </message>
    <message>
        <source>the new password must differ from the current one</source>
        <translation>la nueva contraseña debe ser distinta de la actual</translation>
    </message>
    <message>
        <source>the parts cost must be an amount like 12.50, not {0}</source>
        <translation>el costo de piezas debe ser un importe como 12.50, no {0}</translation>
    </message>
    <message>
        <source>the tag prefixes are at most 64 characters in all</source>
        <translation>los prefijos de etiqueta suman como máximo 64 caracteres</translation>
    </message>
    <message>
        <source>a fee is more than 0 and at most 100,000 dollars</source>
        <translation>un cargo es mayor que 0 y como máximo de 100,000 dólares</translation>
    </message>
    <message>
        <source>district data is changed on the central database</source>
        <translation>los datos del distrito se cambian en la base de datos central</translation>
    </message>
    <message>
        <source>no checklist item {0}; the items are numbered 1 to {1}</source>
        <translation>no hay punto {0} en la lista; los puntos van del 1 al {1}</translation>
    </message>
    <message>
        <source>the parts cost is over $10,000: check the amount</source>
        <translation>el costo de piezas pasa de $10,000: revise el importe</translation>
    </message>
    <message>
        <source>this survey has already been answered, thank you</source>
        <translation>esta encuesta ya fue respondida, gracias</translation>
    </message>
    <message>
        <source>a reporter is a student, teacher or staff, not {0}</source>
        <translation>quien reporta es estudiante, maestro o personal, no {0}</translation>
    </message>
    <message>
        <source>give the extra visit&apos;s window, e.g. 13:00-15:00</source>
        <translation>indique el horario de la visita adicional, p. ej. 13:00-15:00</translation>
    </message>
    <message>
        <source>the parts cost has at most two decimals (cents)</source>
        <translation>el costo de piezas tiene como máximo dos decimales (centavos)</translation>
    </message>
    <message>
        <source>the unit cost must be from 0 to 100,000 dollars</source>
        <translation>el costo unitario debe estar entre 0 y 100,000 dólares</translation>
    </message>
    <message>
        <source>a password is at most 256 printable characters</source>
        <translation>una contraseña tiene como máximo 256 caracteres imprimibles</translation>
    </message>
    <message>
        <source>its parent {0} is not in the file or the district</source>
        <translation>su ubicación superior {0} no está en el archivo ni en el distrito</translation>
    </message>
    <message>
        <source>only a signed-in technician can search devices</source>
        <translation>solo un técnico con sesión iniciada puede buscar dispositivos</translation>
    </message>
    <message>
        <source>purchase_cost must be between 0 and 10,000,000</source>
        <translation>purchase_cost debe estar entre 0 y 10,000,000</translation>
    </message>
    <message>
        <source>{0} is a room on {1} campuses: write &apos;Campus / Room&apos;</source>
        <translation>{0} es un aula en {1} planteles: escriba &apos;Plantel / Aula&apos;</translation>
    </message>
    <message>
        <source>{0} is not a time zone (e.g. America/Los_Angeles)</source>
        <translation>{0} no es una zona horaria (p. ej. America/Los_Angeles)</translation>
    </message>
    <message>
        <source>purchase cost {0} is not an amount (like 329.99)</source>
        <translation>el costo de compra {0} no es un importe (como 329.99)</translation>
    </message>
    <message>
        <source>that loan stands; check the loaner in instead</source>
        <translation>ese préstamo sigue vigente; mejor registre la devolución del equipo</translation>
    </message>
    <message>
        <source>the parts cost must be between $0 and $10,000</source>
        <translation>el costo de piezas debe estar entre $0 y $10,000</translation>
    </message>
    <message>
        <source>{0} has no campus: give it one before lending it</source>
        <translation>{0} no tiene plantel: asígnele uno antes de prestarlo</translation>
    </message>
    <message>
        <source>only a signed-in technician can audit a room</source>
        <translation>solo un técnico con sesión iniciada puede auditar un aula</translation>
    </message>
    <message>
        <source>only a signed-in technician can log a repair</source>
        <translation>solo un técnico con sesión iniciada puede registrar una reparación</translation>
    </message>
    <message>
        <source>the new PIN must differ from the current one</source>
        <translation>el nuevo PIN debe ser distinto del actual</translation>
    </message>
    <message>
        <source>{0} is not a category scope (device, room, any)</source>
        <translation>{0} no es un alcance de categoría (device, room, any)</translation>
    </message>
    <message>
        <source>{0} {1} is not a date (use YYYY-MM-DD or M/D/YYYY)</source>
        <translation>{0} {1} no es una fecha (use AAAA-MM-DD o M/D/AAAA)</translation>
    </message>
    <message>
        <source>a depot repair needs a device on the ticket</source>
        <translation>una reparación en taller externo necesita un dispositivo en el ticket</translation>
    </message>
    <message>
        <source>a kiosk changes only its own campus&apos;s stock</source>
        <translation>un quiosco solo cambia las existencias de su propio plantel</translation>
    </message>
    <message>
        <source>a ticket needs a device, a room or a campus</source>
        <translation>un ticket necesita un dispositivo, un aula o un plantel</translation>
    </message>
    <message>
        <source>give either --week or --from/--to, not both</source>
        <translation>indique --week o --from/--to, no ambos</translation>
    </message>
    <message>
        <source>only a district admin changes district data</source>
        <translation>solo un administrador del distrito cambia los datos del distrito</translation>
    </message>
    <message>
        <source>{0} is a loaner itself; scan the broken device</source>
        <translation>{0} es un equipo de préstamo; escanee el dispositivo dañado</translation>
    </message>
    <message>
        <source>{0} labels are too short for Code128 with text</source>
        <translation>las etiquetas {0} son demasiado cortas para Code128 con texto</translation>
    </message>
    <message>
        <source>only a signed-in technician logs a walk-in</source>
        <translation>solo un técnico con sesión iniciada registra una visita</translation>
    </message>
    <message>
        <source>that staff account cannot hand out loaners</source>
        <translation>esa cuenta de personal no puede entregar equipos de préstamo</translation>
    </message>
    <message>
        <source>the {0} is too long ({1} of at most {2} characters)</source>
        <translation>el campo {0} es demasiado largo ({1} de un máximo de {2} caracteres)</translation>
    </message>
    <message>
        <source>minutes must be a whole number from 0 to {0}</source>
        <translation>los minutos deben ser un número entero de 0 a {0}</translation>
    </message>
    <message>
        <source>only a signed-in technician changes stock</source>
        <translation>solo un técnico con sesión iniciada cambia las existencias</translation>
    </message>
    <message>
        <source>there is nothing to print for that choice</source>
        <translation>no hay nada que imprimir para esa opción</translation>
    </message>
    <message>
        <source>campus code {0} is already another campus&apos;s</source>
        <translation>el código de plantel {0} ya es de otro plantel</translation>
    </message>
    <message>
        <source>claims per year must be from 0 to 100000</source>
        <translation>los reclamos por año deben estar entre 0 y 100000</translation>
    </message>
    <message>
        <source>only a signed-in technician counts stock</source>
        <translation>solo un técnico con sesión iniciada cuenta existencias</translation>
    </message>
    <message>
        <source>parts are taken for a repair on a ticket</source>
        <translation>las piezas se toman para una reparación de un ticket</translation>
    </message>
    <message>
        <source>the holiday {0} ends ({1}) before it starts ({2})</source>
        <translation>el feriado {0} termina ({1}) antes de empezar ({2})</translation>
    </message>
    <message>
        <source>the rotation ends ({0}) before it starts ({1})</source>
        <translation>la rotación termina ({0}) antes de empezar ({1})</translation>
    </message>
    <message>
        <source>the {0} is too short (at least {1} characters)</source>
        <translation>el campo {0} es demasiado corto (al menos {1} caracteres)</translation>
    </message>
    <message>
        <source>there is already a campus named {0} (code {1})</source>
        <translation>ya hay un plantel llamado {0} (código {1})</translation>
    </message>
    <message>
        <source>was the problem solved? answer yes or no</source>
        <translation>¿se resolvió el problema? responda sí o no</translation>
    </message>
    <message>
        <source>{0} belongs to another campus&apos;s loaner pool</source>
        <translation>{0} pertenece a los equipos de préstamo de otro plantel</translation>
    </message>
    <message>
        <source>{0} is already out (due {1}); scan it in first</source>
        <translation>{0} ya está prestado (vence el {1}); primero registre su devolución</translation>
    </message>
    <message>
        <source>only a signed-in technician can do that</source>
        <translation>solo un técnico con sesión iniciada puede hacer eso</translation>
    </message>
    <message>
        <source>ticket {0} is {1}: reopen it to log more work</source>
        <translation>el ticket {0} está {1}: reábralo para registrar más trabajo</translation>
    </message>
    <message>
        <source>a technician&apos;s queue is for one campus</source>
        <translation>la cola de un técnico es de un solo plantel</translation>
    </message>
    <message>
        <source>purchase cost {0} is more than 10,000,000</source>
        <translation>el costo de compra {0} es mayor que 10,000,000</translation>
    </message>
    <message>
        <source>that email address does not look right</source>
        <translation>esa dirección de correo no parece correcta</translation>
    </message>
    <message>
        <source>that staff account cannot log walk-ins</source>
        <translation>esa cuenta de personal no puede registrar visitas</translation>
    </message>
    <message>
        <source>the period ends ({0}) before it starts ({1})</source>
        <translation>el periodo termina ({0}) antes de empezar ({1})</translation>
    </message>
    <message>
        <source>{0} is not a prefix or a list of prefixes</source>
        <translation>{0} no es un prefijo ni una lista de prefijos</translation>
    </message>
    <message>
        <source>{0} is not a time window like 07:30-16:30</source>
        <translation>{0} no es un horario como 07:30-16:30</translation>
    </message>
    <message>
        <source>a password needs at least {0} characters</source>
        <translation>una contraseña necesita al menos {0} caracteres</translation>
    </message>
    <message>
        <source>a rotation needs at least one weekday</source>
        <translation>una rotación necesita al menos un día de la semana</translation>
    </message>
    <message>
        <source>an extra visit on {0} needs a technician</source>
        <translation>una visita adicional el {0} necesita un técnico</translation>
    </message>
    <message>
        <source>room {0} needs a campus for a new device</source>
        <translation>el aula {0} necesita un plantel para un dispositivo nuevo</translation>
    </message>
    <message>
        <source>unknown label stock {0}; choose one of: {1}</source>
        <translation>hoja de etiquetas desconocida {0}; elija una de: {1}</translation>
    </message>
    <message>
        <source>{0} is not a room name (1-64 characters)</source>
        <translation>{0} no es un nombre de aula (1-64 caracteres)</translation>
    </message>
    <message>
        <source>{0} must be a date like 2024-08-15, not {1}</source>
        <translation>{0} debe ser una fecha como 2024-08-15, no {1}</translation>
    </message>
    <message>
        <source>the reorder level must be from 0 to {0}</source>
        <translation>el nivel de reposición debe estar entre 0 y {0}</translation>
    </message>
    <message>
        <source>there is already a campus with code {0}</source>
        <translation>ya hay un plantel con el código {0}</translation>
    </message>
    <message>
        <source>unknown status {0}; one of: open, all, {1}</source>
        <translation>estado desconocido {0}; uno de: open, all, {1}</translation>
    </message>
    <message>
        <source>warranty months need a purchase date</source>
        <translation>los meses de garantía necesitan una fecha de compra</translation>
    </message>
    <message>
        <source>only an admin can unlock an account</source>
        <translation>solo un administrador puede desbloquear una cuenta</translation>
    </message>
    <message>
        <source>payload contains control characters</source>
        <translation>el código leído contiene caracteres de control</translation>
    </message>
    <message>
        <source>the repair count must be at least 1</source>
        <translation>el número de reparaciones debe ser al menos 1</translation>
    </message>
    <message>
        <source>ticket {0} is already {1}; file a new one</source>
        <translation>el ticket {0} ya está {1}; abra uno nuevo</translation>
    </message>
    <message>
        <source>you cannot disable your own account</source>
        <translation>no puede desactivar su propia cuenta</translation>
    </message>
    <message>
        <source>{0} is not a priority (P1, P2, P3, P4)</source>
        <translation>{0} no es una prioridad (P1, P2, P3, P4)</translation>
    </message>
    <message>
        <source>{0}: a duration must be more than zero</source>
        <translation>{0}: una duración debe ser mayor que cero</translation>
    </message>
    <message>
        <source>SLA targets must be more than zero</source>
        <translation>los objetivos del SLA deben ser mayores que cero</translation>
    </message>
    <message>
        <source>give a reporter ID or a device tag</source>
        <translation>indique una identificación de quien reporta o una etiqueta de dispositivo</translation>
    </message>
    <message>
        <source>unknown category {0}; choose one of: {1}</source>
        <translation>categoría desconocida {0}; elija una de: {1}</translation>
    </message>
    <message>
        <source>unknown resolution code {0}; one of: {1}</source>
        <translation>código de resolución desconocido {0}; uno de: {1}</translation>
    </message>
    <message>
        <source>{0} is not a role (technician, admin)</source>
        <translation>{0} no es un rol (technician, admin)</translation>
    </message>
    <message>
        <source>a device returns after it shipped</source>
        <translation>un dispositivo regresa después de enviarse</translation>
    </message>
    <message>
        <source>payload too long ({0} &gt; {1} characters)</source>
        <translation>el código leído es demasiado largo ({0} &gt; {1} caracteres)</translation>
    </message>
    <message>
        <source>the parts cost cannot be negative</source>
        <translation>el costo de piezas no puede ser negativo</translation>
    </message>
    <message>
        <source>the window must be at least 1 day</source>
        <translation>el intervalo debe ser de al menos 1 día</translation>
    </message>
    <message>
        <source>the window {0} ends before it starts</source>
        <translation>el horario {0} termina antes de empezar</translation>
    </message>
    <message>
        <source>the {0} contains a control character</source>
        <translation>el campo {0} contiene un carácter de control</translation>
    </message>
    <message>
        <source>{0} is not a duration like 30m or 4h</source>
        <translation>{0} no es una duración como 30m o 4h</translation>
    </message>
    <message>
        <source>{0} is not a loaner (its status is {1})</source>
        <translation>{0} no es un equipo de préstamo (su estado es {1})</translation>
    </message>
    <message>
        <source>a repair uses 1 to 100 of a part</source>
        <translation>una reparación usa de 1 a 100 unidades de una pieza</translation>
    </message>
    <message>
        <source>a week looks like 2026-W38, not {0}</source>
        <translation>una semana se escribe como 2026-W38, no {0}</translation>
    </message>
    <message>
        <source>asset tag {0} is already registered</source>
        <translation>la etiqueta de inventario {0} ya está registrada</translation>
    </message>
    <message>
        <source>its parents go round in a circle</source>
        <translation>sus ubicaciones superiores forman un círculo</translation>
    </message>
    <message>
        <source>no devices are registered in {0} / {1}</source>
        <translation>no hay dispositivos registrados en {0} / {1}</translation>
    </message>
    <message>
        <source>skip must be between 0 and {0} for {1}</source>
        <translation>las etiquetas por saltar deben ser de 0 a {0} para {1}</translation>
    </message>
    <message>
        <source>the count of {0} must be from 0 to {1}</source>
        <translation>el conteo de {0} debe estar entre 0 y {1}</translation>
    </message>
    <message>
        <source>this staff account is not active</source>
        <translation>esta cuenta de personal no está activa</translation>
    </message>
    <message>
        <source>{0} does not look like an asset tag</source>
        <translation>{0} no parece una etiqueta de inventario</translation>
    </message>
    <message>
        <source>reports are for district admins</source>
        <translation>los informes son para los administradores del distrito</translation>
    </message>
    <message>
        <source>the quantity must be from 1 to {0}</source>
        <translation>la cantidad debe estar entre 1 y {0}</translation>
    </message>
    <message>
        <source>{0} is not a comparator (&gt;= or &lt;=)</source>
        <translation>{0} no es un comparador (&gt;= o &lt;=)</translation>
    </message>
    <message>
        <source>{0}: the header needs {1} (columns: {2})</source>
        <translation>{0}: el encabezado necesita {1} (columnas: {2})</translation>
    </message>
    <message>
        <source>URL host {0} is not an asset host</source>
        <translation>el servidor {0} del enlace no es de inventario</translation>
    </message>
    <message>
        <source>cannot set {0}; editable fields: {1}</source>
        <translation>no se puede cambiar {0}; campos editables: {1}</translation>
    </message>
    <message>
        <source>language must be one of {0}, not {1}</source>
        <translation>el idioma debe ser uno de {0}, no {1}</translation>
    </message>
    <message>
        <source>no devices were registered on {0}</source>
        <translation>no se registraron dispositivos el {0}</translation>
    </message>
    <message>
        <source>set the campus before the room</source>
        <translation>elija el plantel antes que el aula</translation>
    </message>
    <message>
        <source>unknown label choice {0}; one of {1}</source>
        <translation>opción de etiquetas desconocida {0}; una de {1}</translation>
    </message>
    <message>
        <source>{0} is not an active staff member</source>
        <translation>{0} no es un miembro activo del personal</translation>
    </message>
    <message>
        <source>a new device needs a category</source>
        <translation>un dispositivo nuevo necesita una categoría</translation>
    </message>
    <message>
        <source>every_weeks must be 1 or more</source>
        <translation>every_weeks debe ser 1 o más</translation>
    </message>
    <message>
        <source>more than {0} scans in one count</source>
        <translation>más de {0} escaneos en un conteo</translation>
    </message>
    <message>
        <source>{0} is not a check-digit rule ({1})</source>
        <translation>{0} no es una regla de dígito de control ({1})</translation>
    </message>
    <message>
        <source>{0}: choose a rating from 1 to 5</source>
        <translation>{0}: elija una calificación del 1 al 5</translation>
    </message>
    <message>
        <source>not in the parts catalogue: {0}</source>
        <translation>no está en el catálogo de piezas: {0}</translation>
    </message>
    <message>
        <source>the count must be from 0 to {0}</source>
        <translation>el conteo debe estar entre 0 y {0}</translation>
    </message>
    <message>
        <source>the due date {0} is in the past</source>
        <translation>la fecha de devolución {0} ya pasó</translation>
    </message>
    <message>
        <source>the {0} must be 1-64 characters</source>
        <translation>el campo {0} debe tener de 1 a 64 caracteres</translation>
    </message>
    <message>
        <source>this kiosk is not registered</source>
        <translation>este quiosco no está registrado</translation>
    </message>
    <message>
        <source>this survey link has expired</source>
        <translation>este enlace de encuesta venció</translation>
    </message>
    <message>
        <source>unknown queue view {0}; one of {1}</source>
        <translation>vista de cola desconocida {0}; una de {1}</translation>
    </message>
    <message>
        <source>--from and --to go together</source>
        <translation>--from y --to van juntos</translation>
    </message>
    <message>
        <source>the cost cannot be negative</source>
        <translation>el costo no puede ser negativo</translation>
    </message>
    <message>
        <source>ticket {0} cannot go from {1} to {2}</source>
        <translation>el ticket {0} no puede pasar de {1} a {2}</translation>
    </message>
    <message>
        <source>which campus? give --campus</source>
        <translation>¿qué plantel? indique --campus</translation>
    </message>
    <message>
        <source>{0} is not a date (YYYY-MM-DD)</source>
        <translation>{0} no es una fecha (AAAA-MM-DD)</translation>
    </message>
    <message>
        <source>a loan lasts at most {0} days</source>
        <translation>un préstamo dura como máximo {0} días</translation>
    </message>
    <message>
        <source>badge {0} already belongs to {1}</source>
        <translation>la credencial {0} ya pertenece a {1}</translation>
    </message>
    <message>
        <source>that account is not active</source>
        <translation>esa cuenta no está activa</translation>
    </message>
    <message>
        <source>that room no longer exists</source>
        <translation>esa aula ya no existe</translation>
    </message>
    <message>
        <source>there is no admin action {0}/{1}</source>
        <translation>no existe la acción de administración {0}/{1}</translation>
    </message>
    <message>
        <source>unknown setting {0}; one of: {1}</source>
        <translation>ajuste desconocido {0}; uno de: {1}</translation>
    </message>
    <message>
        <source>no part {0} in the catalogue</source>
        <translation>no hay pieza {0} en el catálogo</translation>
    </message>
    <message>
        <source>no such active technician</source>
        <translation>no existe ese técnico activo</translation>
    </message>
    <message>
        <source>ticket {0} is {1}, not resolved</source>
        <translation>el ticket {0} está {1}, no resuelto</translation>
    </message>
    <message>
        <source>unknown report {0}; one of: {1}</source>
        <translation>informe desconocido {0}; uno de: {1}</translation>
    </message>
    <message>
        <source>unknown status {0}; one of: {1}</source>
        <translation>estado desconocido {0}; uno de: {1}</translation>
    </message>
    <message>
        <source>{0} is campus {1} already, not {2}</source>
        <translation>{0} ya es del plantel {1}, no de {2}</translation>
    </message>
    <message>
        <source>URL carries no asset tag</source>
        <translation>el enlace no lleva ninguna etiqueta de inventario</translation>
    </message>
    <message>
        <source>no device has asset tag {0}</source>
        <translation>ningún dispositivo tiene la etiqueta de inventario {0}</translation>
    </message>
    <message>
        <source>this kiosk has no campus</source>
        <translation>este quiosco no tiene plantel</translation>
    </message>
    <message>
        <source>unknown category {0} (use {1})</source>
        <translation>categoría desconocida {0} (use {1})</translation>
    </message>
    <message>
        <source>unknown cause {0}; one of: {1}</source>
        <translation>causa desconocida {0}; una de: {1}</translation>
    </message>
    <message>
        <source>{0} is not an email address</source>
        <translation>{0} no es una dirección de correo</translation>
    </message>
    <message>
        <source>a category needs a name</source>
        <translation>una categoría necesita un nombre</translation>
    </message>
    <message>
        <source>days cannot be negative</source>
        <translation>los días no pueden ser negativos</translation>
    </message>
    <message>
        <source>no room {0} on that campus</source>
        <translation>no hay un aula {0} en ese plantel</translation>
    </message>
    <message>
        <source>{0} fails its {1} check digit</source>
        <translation>{0} no pasa su dígito de control {1}</translation>
    </message>
    <message>
        <source>not in the catalogue: {0}</source>
        <translation>no está en el catálogo: {0}</translation>
    </message>
    <message>
        <source>the asset tag is empty</source>
        <translation>la etiqueta de inventario está vacía</translation>
    </message>
    <message>
        <source>the username {0} is taken</source>
        <translation>el nombre de usuario {0} ya está en uso</translation>
    </message>
    <message>
        <source>this audit belongs to {0}</source>
        <translation>esta auditoría es de {0}</translation>
    </message>
    <message>
        <source>{0} must be from 0 to 365</source>
        <translation>{0} debe estar entre 0 y 365</translation>
    </message>
    <message>
        <source>code must be one of: {0}</source>
        <translation>el código debe ser uno de: {0}</translation>
    </message>
    <message>
        <source>mode must be one of: {0}</source>
        <translation>el modo debe ser uno de: {0}</translation>
    </message>
    <message>
        <source>no reporter {0} is known</source>
        <translation>no se conoce a nadie que haya reportado como {0}</translation>
    </message>
    <message>
        <source>no such staff account</source>
        <translation>no existe esa cuenta de personal</translation>
    </message>
    <message>
        <source>the location is empty</source>
        <translation>la ubicación está vacía</translation>
    </message>
    <message>
        <source>there is no category {0}</source>
        <translation>no existe la categoría {0}</translation>
    </message>
    <message>
        <source>{0} does not start with {1}</source>
        <translation>{0} no empieza por {1}</translation>
    </message>
    <message>
        <source>a PIN is {0} to {1} digits</source>
        <translation>un PIN tiene de {0} a {1} dígitos</translation>
    </message>
    <message>
        <source>campus {0} has no rooms</source>
        <translation>el plantel {0} no tiene aulas</translation>
    </message>
    <message>
        <source>campus {0} needs a name</source>
        <translation>el plantel {0} necesita un nombre</translation>
    </message>
    <message>
        <source>cannot {0} this audit: {1}</source>
        <translation>no se puede {0} esta auditoría: {1}</translation>
    </message>
    <message>
        <source>type the room&apos;s name</source>
        <translation>escriba el nombre del aula</translation>
    </message>
    <message>
        <source>{0} already has a room {1}</source>
        <translation>{0} ya tiene un aula {1}</translation>
    </message>
    <message>
        <source>no asset tags given</source>
        <translation>no se indicaron etiquetas de inventario</translation>
    </message>
    <message>
        <source>there is no campus {0}</source>
        <translation>no existe el plantel {0}</translation>
    </message>
    <message>
        <source>unknown survey link</source>
        <translation>enlace de encuesta desconocido</translation>
    </message>
    <message>
        <source>{0} is already retired</source>
        <translation>{0} ya está dado de baja</translation>
    </message>
    <message>
        <source>{0} is not a metric ({1})</source>
        <translation>{0} no es una métrica ({1})</translation>
    </message>
    <message>
        <source>{0} is not checked out</source>
        <translation>{0} no está prestado</translation>
    </message>
    <message>
        <source>{0} takes JSON (e.g. {1})</source>
        <translation>{0} lleva JSON (p. ej. {1})</translation>
    </message>
    <message>
        <source>no labels to print</source>
        <translation>no hay etiquetas que imprimir</translation>
    </message>
    <message>
        <source>no such room audit</source>
        <translation>no existe esa auditoría de aula</translation>
    </message>
    <message>
        <source>no such technician</source>
        <translation>no existe ese técnico</translation>
    </message>
    <message>
        <source>select a row first</source>
        <translation>primero seleccione una fila</translation>
    </message>
    <message>
        <source>give the new name</source>
        <translation>indique el nombre nuevo</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>el archivo está vacío</translation>
    </message>
    <message>
        <source>{0} is not a weekday</source>
        <translation>{0} no es un día de la semana</translation>
    </message>
    <message>
        <source>{0} must be a {1}, not {2}</source>
        <translation>{0} debe ser {1}, no {2}</translation>
    </message>
    <message>
        <source>{0} must be one of: {1}</source>
        <translation>{0} debe ser uno de: {1}</translation>
    </message>
    <message>
        <source>no staff member {0}</source>
        <translation>no hay ningún miembro del personal {0}</translation>
    </message>
    <message>
        <source>{0} is not a number</source>
        <translation>{0} no es un número</translation>
    </message>
    <message>
        <source>unknown campus {0}</source>
        <translation>plantel desconocido {0}</translation>
    </message>
    <message>
        <source>no such device</source>
        <translation>no existe ese dispositivo</translation>
    </message>
    <message>
        <source>no such survey</source>
        <translation>no existe esa encuesta</translation>
    </message>
    <message>
        <source>empty payload</source>
        <translation>el código leído está vacío</translation>
    </message>
    <message>
        <source>malformed URL</source>
        <translation>enlace mal formado</translation>
    </message>
    <message>
        <source>{0} has no room {1}</source>
        <translation>{0} no tiene un aula {1}</translation>
    </message>
    <message>
        <source>{0} has no week {1}</source>
        <translation>{0} no tiene una semana {1}</translation>
    </message>
    <message>
        <source>no room {0} at {1}</source>
        <translation>no hay un aula {0} en {1}</translation>
    </message>
    <message>
        <source>no such loan</source>
        <translation>no existe ese préstamo</translation>
    </message>
    <message>
        <source>no such room</source>
        <translation>no existe esa aula</translation>
    </message>
    <message>
        <source>no campus {0}</source>
        <translation>no hay plantel {0}</translation>
    </message>
    <message>
        <source>no ticket {0}</source>
        <translation>no hay ticket {0}</translation>
    </message>
    <message>
        <source>fill in: {0}</source>
        <translation>complete: {0}</translation>
    </message>
    <message>
        <source>no campus</source>
        <translation>sin plantel</translation>
    </message>
</context>
<context>
    <name>DuplicateScreen</name>
    <message>
        <source>This problem is already reported</source>
        <translation>Este problema ya está reportado</translation>
    </message>
    <message>
        <source>Add my report to this ticket</source>
        <translation>Agregar mi reporte a este ticket</translation>
    </message>
    <message>
        <source>It is a different problem: new ticket</source>
        <translation>Es otro problema: ticket nuevo</translation>
    </message>
    <message>
        <source>Ticket {0} ({1}) is open for this device: {2}.</source>
        <translation>El ticket {0} ({1}) está abierto para este dispositivo: {2}.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>{0} is not an asset tag (3-32 letters, digits or &apos;-&apos;)</source>
        <translation>{0} no es una etiqueta de inventario (3-32 letras, dígitos o &apos;-&apos;)</translation>
    </message>
    <message>
        <source>that email address does not look right</source>
        <translation>ese correo electrónico no parece correcto</translation>
    </message>
    <message>
        <source>enter your school ID number (4-16 letters or digits) or your school email</source>
        <translation>escriba su número de estudiante (4-16 letras o dígitos) o su correo de la escuela</translation>
    </message>
    <message>
        <source>the {0} contains a control character</source>
        <translation>la {0} contiene un carácter de control</translation>
    </message>
    <message>
        <source>the {0} is too short (at least {1} characters)</source>
        <translation>la {0} es demasiado corta (al menos {1} caracteres)</translation>
    </message>
    <message>
        <source>the {0} is too long ({1} of at most {2} characters)</source>
        <translation>la {0} es demasiado larga ({1} de un máximo de {2} caracteres)</translation>
    </message>
    <message>
        <source>this survey belongs to the person who reported the ticket: enter the school ID or email you gave then</source>
        <translation>esta encuesta es de la persona que reportó el ticket: escriba el número de estudiante o el correo que dio entonces</translation>
    </message>
    <message>
        <source>no device has asset tag {0}</source>
        <translation>ningún dispositivo tiene la etiqueta {0}</translation>
    </message>
    <message>
        <source>{0} is not a school email: use your address at {1}, or your school ID number</source>
        <translation>{0} no es un correo de la escuela: use su dirección de {1}, o su número de identificación escolar</translation>
    </message>
    <message>
        <source>are you a student or staff? Tap one beside your email</source>
        <translation>¿es estudiante o personal? Toque una opción junto a su correo</translation>
    </message>
    <message>
        <source>no printer is set up on this kiosk: ask the district to set a default printer</source>
        <translation>no hay ninguna impresora configurada en este quiosco: pida al distrito que configure una impresora predeterminada</translation>
    </message>
    <message>
        <source>printing cancelled</source>
        <translation>impresión cancelada</translation>
    </message>
    <message>
        <source>Wrong sign-in details.</source>
        <translation>Datos de inicio de sesión incorrectos.</translation>
    </message>
    <message>
        <source>{0} is locked after {1} failed attempts; try again in {2} minutes.</source>
        <translation>{0}: bloqueo tras {1} intentos fallidos; vuelva a intentarlo en {2} minutos.</translation>
    </message>
    <message>
        <source>Too many failed attempts: locked for {0} minutes.</source>
        <translation>Demasiados intentos fallidos: bloqueado durante {0} minutos.</translation>
    </message>
    <message>
        <source>only the person who reported this ticket can say it is not solved</source>
        <translation>solo la persona que reportó este ticket puede decir que no está resuelto</translation>
    </message>
    <message>
        <source>description</source>
        <translation>descripción</translation>
    </message>
    <message>
        <source>comment</source>
        <translation>observación</translation>
    </message>
    <message>
        <source>This account</source>
        <translation>Esta cuenta</translation>
    </message>
    <message>
        <source>This kiosk</source>
        <translation>Este quiosco</translation>
    </message>
</context>
<context>
    <name>Events</name>
    <message>
        <source>{0} ({1} min, parts: {2})</source>
        <translation>{0} ({1} min, piezas: {2})</translation>
    </message>
    <message>
        <source>Survey invitation sent by email</source>
        <translation>Invitación a la encuesta enviada por correo</translation>
    </message>
    <message>
        <source>Survey invitation sent (kiosk only)</source>
        <translation>Invitación a la encuesta (solo en el quiosco)</translation>
    </message>
    <message>
        <source>Survey answered: solved, overall {0}/5</source>
        <translation>Encuesta respondida: resuelto, en general {0}/5</translation>
    </message>
    <message>
        <source>Survey answered: not solved, overall {0}/5</source>
        <translation>Encuesta respondida: no resuelto, en general {0}/5</translation>
    </message>
    <message>
        <source>answered: solved, overall {0}/5</source>
        <translation>respondida: resuelto, en general {0}/5</translation>
    </message>
    <message>
        <source>answered: not solved, overall {0}/5</source>
        <translation>respondida: no resuelto, en general {0}/5</translation>
    </message>
    <message>
        <source>invited</source>
        <translation>invitación enviada</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>respondida</translation>
    </message>
    <message>
        <source>Loaner {0} lent until {1}</source>
        <translation>Equipo de préstamo {0} prestado hasta el {1}</translation>
    </message>
    <message>
        <source>Closed automatically: no reply {0} business days after it was resolved</source>
        <translation>Cerrado automáticamente: sin respuesta {0} días hábiles después de resolverse</translation>
    </message>
    <message>
        <source>The reporter says the problem is not solved.{0}</source>
        <translation>Quien reportó dice que el problema no está resuelto.{0}</translation>
    </message>
    <message>
        <source>Reopened: the reporter answered the satisfaction survey that the problem is not solved.</source>
        <translation>Reabierto: quien reportó respondió en la encuesta de satisfacción que el problema no está resuelto.</translation>
    </message>
    <message>
        <source>Reopened: the reporter answered the satisfaction survey that the problem is not solved. Their comment: {0}</source>
        <translation>Reabierto: quien reportó respondió en la encuesta de satisfacción que el problema no está resuelto. Su comentario: {0}</translation>
    </message>
    <message>
        <source>SLA breached: {0} {1} ({2})</source>
        <translation>SLA incumplido: {0} {1} ({2})</translation>
    </message>
    <message>
        <source>SLA warning: {0} {1} at {2}% ({3})</source>
        <translation>Aviso de SLA: {0} {1} al {2}% ({3})</translation>
    </message>
    <message>
        <source>first response</source>
        <translation>primera respuesta</translation>
    </message>
    <message>
        <source>resolution</source>
        <translation>resolución</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>found</source>
        <translation>encontrado</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>no encontrado</translation>
    </message>
    <message>
        <source>misplaced</source>
        <translation>fuera de lugar</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>Ticket opened: {0}</source>
        <translation>Ticket abierto: {0}</translation>
    </message>
    <message>
        <source>audit in {0}: {1}</source>
        <translation>auditoría en {0}: {1}</translation>
    </message>
    <message>
        <source>{0} (parts: {1})</source>
        <translation>{0} (piezas: {1})</translation>
    </message>
    <message>
        <source>{0} (parts {1})</source>
        <translation>{0} (piezas {1})</translation>
    </message>
    <message>
        <source>status</source>
        <translation>estado</translation>
    </message>
    <message>
        <source>assignment</source>
        <translation>asignación</translation>
    </message>
    <message>
        <source>note</source>
        <translation>nota</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>prioridad</translation>
    </message>
    <message>
        <source>repair</source>
        <translation>reparación</translation>
    </message>
    <message>
        <source>room</source>
        <translation>aula</translation>
    </message>
    <message>
        <source>campus</source>
        <translation>plantel</translation>
    </message>
    <message>
        <source>reopened</source>
        <translation>reabierto</translation>
    </message>
    <message>
        <source>escalation</source>
        <translation>escalamiento</translation>
    </message>
    <message>
        <source>survey</source>
        <translation>encuesta</translation>
    </message>
    <message>
        <source>report_added</source>
        <translation>reporte añadido</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>Something not working? Report it here.</source>
        <translation>¿Algo no funciona? Repórtelo.</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Personal</translation>
    </message>
    <message>
        <source>Hold your device&apos;s tag here</source>
        <translation>Acerque aquí la etiqueta de su dispositivo</translation>
    </message>
    <message>
        <source>Type the tag</source>
        <translation>Escribir la etiqueta</translation>
    </message>
    <message>
        <source>Problem with a room, not a device</source>
        <translation>Problema del aula, no de un equipo</translation>
    </message>
    <message>
        <source>Check a ticket</source>
        <translation>Consultar un ticket</translation>
    </message>
    <message>
        <source>The camera isn&apos;t working. Type the tag instead.</source>
        <translation>La cámara no funciona. Escriba la etiqueta.</translation>
    </message>
    <message>
        <source>● Reports are saved on this kiosk (not connected to a district server).</source>
        <translation>● Reportes guardados en este quiosco (sin servidor del distrito).</translation>
    </message>
</context>
<context>
    <name>KioskFlow</name>
    <message>
        <source>Something went wrong on this kiosk. Please try again or tell a teacher.</source>
        <translation>Algo falló en este quiosco. Inténtelo de nuevo o avise a un maestro.</translation>
    </message>
    <message>
        <source>First run: a technician signs in and chooses this kiosk&apos;s campus.</source>
        <translation>Primer uso: un técnico inicia sesión y elige el plantel de este quiosco.</translation>
    </message>
    <message>
        <source>{0} is not one of this district&apos;s asset tags. Check the label and try again.</source>
        <translation>{0} no es una etiqueta de inventario de este distrito. Revise la etiqueta e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Thank you for your answers!</source>
        <translation>¡Gracias por sus respuestas!</translation>
    </message>
    <message>
        <source>Thank you. The ticket is open again and a technician will follow up.</source>
        <translation>Gracias. El ticket está abierto de nuevo y un técnico le dará seguimiento.</translation>
    </message>
    <message>
        <source>That room label belongs to another campus.</source>
        <translation>Esa etiqueta de aula es de otro plantel.</translation>
    </message>
    <message>
        <source>{0} · device {1}</source>
        <translation>{0} · dispositivo {1}</translation>
    </message>
    <message>
        <source>{0} · unregistered tag {1}</source>
        <translation>{0} · etiqueta no registrada {1}</translation>
    </message>
    <message>
        <source>{0} · room {1}</source>
        <translation>{0} · aula {1}</translation>
    </message>
    <message>
        <source>No camera picture is available right now.</source>
        <translation>Ahora no hay imagen de la cámara.</translation>
    </message>
    <message>
        <source>The report could not be saved. Nothing was lost: please try again.</source>
        <translation>No se pudo guardar el reporte. No se perdió nada: inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>No ticket has that number. Check it and try again.</source>
        <translation>Ningún ticket tiene ese número. Revíselo e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Staff only: scan your badge and enter your PIN, or use your username and password. The kiosk stays locked until you sign in.</source>
        <translation>Solo personal: escanee su credencial y escriba su PIN, o use su usuario y contraseña. El quiosco sigue bloqueado hasta que inicie sesión.</translation>
    </message>
    <message>
        <source>Sign-in failed on this kiosk. Please try again.</source>
        <translation>No se pudo iniciar sesión en este quiosco. Inténtelo de nuevo.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Tech room kiosk</source>
        <translation>Quiosco del aula de tecnología</translation>
    </message>
</context>
<context>
    <name>LabelsScreen</name>
    <message>
        <source>Devices registered today</source>
        <translation>Dispositivos registrados hoy</translation>
    </message>
    <message>
        <source>Every device in a room</source>
        <translation>Todos los dispositivos de un aula</translation>
    </message>
    <message>
        <source>Room labels (QR) for this campus</source>
        <translation>Etiquetas de aula (QR) de este plantel</translation>
    </message>
    <message>
        <source>These tags</source>
        <translation>Estas etiquetas</translation>
    </message>
    <message>
        <source>Part shelf labels (all, or these part codes)</source>
        <translation>Etiquetas de estante de piezas (todas, o estos códigos)</translation>
    </message>
    <message>
        <source>Avery 5160 (Letter, 30 labels 1&quot; x 2-5/8&quot;)</source>
        <translation>Avery 5160 (carta, 30 etiquetas de 1&quot; x 2-5/8&quot;)</translation>
    </message>
    <message>
        <source>Avery L7160 (A4, 21 labels 63.5 x 38.1 mm)</source>
        <translation>Avery L7160 (A4, 21 etiquetas de 63,5 x 38,1 mm)</translation>
    </message>
    <message>
        <source>Avery 5163 (Letter, 10 labels 2&quot; x 4&quot;)</source>
        <translation>Avery 5163 (carta, 10 etiquetas de 2&quot; x 4&quot;)</translation>
    </message>
    <message>
        <source>Dymo 30252 (roll, 1-1/8&quot; x 3-1/2&quot;)</source>
        <translation>Dymo 30252 (rollo, 1-1/8&quot; x 3-1/2&quot;)</translation>
    </message>
    <message>
        <source>Brother DK 62 mm continuous (cut at 32 mm)</source>
        <translation>Brother DK 62 mm continua (cortada a 32 mm)</translation>
    </message>
    <message>
        <source>Barcode and QR</source>
        <translation>Código de barras y QR</translation>
    </message>
    <message>
        <source>Barcode (Code 128)</source>
        <translation>Código de barras (Code 128)</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>Código QR</translation>
    </message>
    <message>
        <source>Print labels</source>
        <translation>Imprimir etiquetas</translation>
    </message>
    <message>
        <source>Room name, or tags separated by commas</source>
        <translation>Nombre del aula, o etiquetas separadas por comas</translation>
    </message>
    <message>
        <source> used positions skipped</source>
        <translation> posiciones usadas omitidas</translation>
    </message>
    <message>
        <source>Labels for</source>
        <translation>Etiquetas para</translation>
    </message>
    <message>
        <source>Room or tags</source>
        <translation>Aula o etiquetas</translation>
    </message>
    <message>
        <source>Label stock</source>
        <translation>Hojas de etiquetas</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Partly used sheet</source>
        <translation>Hoja parcialmente usada</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Imprimir</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Guardar como PDF</translation>
    </message>
    <message>
        <source>{0} labels on {1} page(s) sent to {2}</source>
        <translation>{0} etiquetas en {1} página(s) enviadas a {2}</translation>
    </message>
    <message>
        <source>{0} labels on {1} page(s): {2}</source>
        <translation>{0} etiquetas en {1} página(s): {2}</translation>
    </message>
</context>
<context>
    <name>LoanReceiptScreen</name>
    <message>
        <source>Your loaner</source>
        <translation>Su equipo de préstamo</translation>
    </message>
    <message>
        <source>Bring the loaner back to this kiosk when your device is fixed, and scan it. Take a photo of this screen, or scan the code to keep both tags.</source>
        <translation>Devuelva el equipo de préstamo a este quiosco cuando su dispositivo esté reparado y escanéelo. Tome una foto de esta pantalla o escanee el código para guardar ambas etiquetas.</translation>
    </message>
    <message>
        <source>Print the receipt</source>
        <translation>Imprimir el comprobante</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Loaner: {0}
Your device: {1}
Due back: {2}</source>
        <translation>Préstamo: {0}
Tu dispositivo: {1}
Devolver el: {2}</translation>
    </message>
</context>
<context>
    <name>LoanerOffer</name>
    <message>
        <source>Borrow a loaner while it is repaired</source>
        <translation>Pida un equipo prestado mientras se repara</translation>
    </message>
    <message>
        <source>Loaner</source>
        <translation>Préstamo</translation>
    </message>
    <message>
        <source>Your device</source>
        <translation>Su dispositivo</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Due back</source>
        <translation>Devolver el</translation>
    </message>
    <message>
        <source>Campus</source>
        <translation>Plantel</translation>
    </message>
    <message>
        <source>Loaner receipt</source>
        <translation>Comprobante de préstamo</translation>
    </message>
    <message>
        <source>Bring the loaner back to the tech room when your device is fixed, and scan it at the kiosk.</source>
        <translation>Devuelva el préstamo al cuarto de tecnología cuando su dispositivo esté reparado, y escanéelo en el quiosco.</translation>
    </message>
    <message>
        <source>Receipt sent to {0}.</source>
        <translation>Comprobante enviado a {0}.</translation>
    </message>
    <message>
        <source>A technician scans their badge and enters their PIN.</source>
        <translation>Un técnico escanea su credencial e ingresa su PIN.</translation>
    </message>
    <message>
        <source>That did not work. Please try again.</source>
        <translation>No funcionó. Inténtalo de nuevo.</translation>
    </message>
</context>
<context>
    <name>LoanerOfferScreen</name>
    <message>
        <source>Borrow a loaner while yours is repaired</source>
        <translation>Pida un equipo prestado mientras se repara el suyo</translation>
    </message>
    <message>
        <source>Scan the loaner&apos;s tag</source>
        <translation>Escanee la etiqueta del equipo de préstamo</translation>
    </message>
    <message>
        <source>A technician confirms: scan your badge and enter your PIN.</source>
        <translation>Un técnico confirma: escanee su credencial e ingrese su PIN.</translation>
    </message>
    <message>
        <source>Technician badge</source>
        <translation>Credencial del técnico</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Borrow this loaner</source>
        <translation>Pedir este equipo prestado</translation>
    </message>
    <message>
        <source>{0} loaner(s) are available here. Take one from the technician&apos;s shelf and scan its tag; it is lent to {1} for {2}.</source>
        <translation>Hay {0} equipo(s) de préstamo aquí. Tome uno del estante del técnico y escanee su etiqueta; se presta a {1} por {2}.</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <source>Shift</source>
        <translation>Mayús</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Espacio</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Delete the last character</source>
        <translation>Borrar el último carácter</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vaciar</translation>
    </message>
</context>
<context>
    <name>OwnAccount</name>
    <message>
        <source>Your PIN and password are kept by the district server: this kiosk sends the change there, so it needs the network.</source>
        <translation>Su PIN y su contraseña los guarda el servidor del distrito: este quiosco le envía el cambio, así que necesita la red.</translation>
    </message>
</context>
<context>
    <name>QueueScreen</name>
    <message>
        <source>Open tickets</source>
        <translation>Tickets abiertos</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Míos</translation>
    </message>
    <message>
        <source>Resolved, waiting to close</source>
        <translation>Resueltos, esperando cierre</translation>
    </message>
    <message>
        <source>All but closed</source>
        <translation>Todos menos cerrados</translation>
    </message>
    <message>
        <source>Work queue</source>
        <translation>Cola de trabajo</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Cualquier estado</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>Cualquier prioridad</translation>
    </message>
    <message>
        <source>Any category</source>
        <translation>Cualquier categoría</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Aula</translation>
    </message>
    <message>
        <source>Ticket, tag or words</source>
        <translation>Ticket, etiqueta o palabras</translation>
    </message>
    <message>
        <source>Which tickets</source>
        <translation>Qué tickets</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioridad</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categoría</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>P1* = priority set by a technician (the reporter chose another). “paused” = on hold, the SLA clock is stopped.</source>
        <translation>P1* = prioridad fijada por un técnico (quien reportó eligió otra). «en pausa» = en espera, el reloj del SLA está detenido.</translation>
    </message>
    <message>
        <source>{0} of {1} tickets</source>
        <translation>{0} de {1} tickets</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <source>Thank you! Your report is in.</source>
        <translation>¡Gracias! Recibimos su reporte.</translation>
    </message>
    <message>
        <source>Your ticket number</source>
        <translation>Su número de ticket</translation>
    </message>
    <message>
        <source>Take a photo of this screen, or write the number down. Scan the code at any kiosk with “Check a ticket” to see how it is going.</source>
        <translation>Tome una foto de esta pantalla o anote el número. Escanee el código en cualquier quiosco con «Consultar un ticket» para ver cómo va.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Added to the open ticket. Thank you!</source>
        <translation>Agregado al ticket abierto. ¡Gracias!</translation>
    </message>
    <message>
        <source>A technician will respond by {0}.</source>
        <translation>Un técnico responderá antes del {0}.</translation>
    </message>
    <message>
        <source>Next technician visit here: {0}, {1}–{2} ({3}).</source>
        <translation>Próxima visita del técnico aquí: {0}, {1}–{2} ({3}).</translation>
    </message>
    <message>
        <source>No technician visit is scheduled in the next three weeks.</source>
        <translation>No hay visitas de técnicos programadas en las próximas tres semanas.</translation>
    </message>
</context>
<context>
    <name>RefusedScreen</name>
    <message>
        <source>Changes the server refused</source>
        <translation>Cambios que el servidor rechazó</translation>
    </message>
    <message>
        <source>The district server will not take these edits made on this kiosk, so they are not part of the district&apos;s records. Each one stays here until you discard it; redo the change if it is still needed (for example at the device&apos;s new campus).</source>
        <translation>El servidor del distrito no acepta estas ediciones hechas en este quiosco, así que no forman parte de los registros del distrito. Cada una se queda aquí hasta que la descarte; repita el cambio si aún hace falta (por ejemplo en el nuevo plantel del dispositivo).</translation>
    </message>
    <message>
        <source>Discard the selected change</source>
        <translation>Descartar el cambio seleccionado</translation>
    </message>
    <message>
        <source>Nothing refused: every change reached the server.</source>
        <translation>Nada rechazado: todos los cambios llegaron al servidor.</translation>
    </message>
    <message>
        <source>Discarded: {0}, {1}.{2}</source>
        <translation>Descartado: {0}, {1}.{2}</translation>
    </message>
    <message>
        <source> This kiosk&apos;s copy is back to what it was.</source>
        <translation> La copia de este quiosco volvió a como estaba.</translation>
    </message>
</context>
<context>
    <name>RegisterScreen</name>
    <message>
        <source>Register a device</source>
        <translation>Registrar un dispositivo</translation>
    </message>
    <message>
        <source>Asset tag</source>
        <translation>Etiqueta de inventario</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categoría</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Aula</translation>
    </message>
    <message>
        <source>Manufacturer</source>
        <translation>Fabricante</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Número de serie</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Registrar</translation>
    </message>
</context>
<context>
    <name>RepairDesk</name>
    <message>
        <source>No loaner pool at this campus</source>
        <translation>Este plantel no tiene equipos de préstamo</translation>
    </message>
    <message>
        <source>Loaners: {0} available, {1} out, {2} overdue</source>
        <translation>Préstamos: {0} disponibles, {1} prestados, {2} atrasados</translation>
    </message>
    <message>
        <source>, {0} lent twice (to settle)</source>
        <translation>, {0} prestados dos veces (por resolver)</translation>
    </message>
    <message>
        <source>Low stock: {0} part(s)</source>
        <translation>Pocas existencias: {0} pieza(s)</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menú</translation>
    </message>
    <message>
        <source>Repair desk</source>
        <translation>Mesa de reparaciones</translation>
    </message>
    <message>
        <source>Back to the ticket</source>
        <translation>Volver al ticket</translation>
    </message>
    <message>
        <source>This kiosk has no campus.</source>
        <translation>Este quiosco no tiene plantel.</translation>
    </message>
    <message>
        <source>Count applied: {0} of {1} parts adjusted in the stock ledger ({2}).</source>
        <translation>Conteo aplicado: {0} de {1} piezas ajustadas en el registro de existencias ({2}).</translation>
    </message>
    <message>
        <source>Count applied: every part matched the ledger, nothing to adjust.</source>
        <translation>Conteo aplicado: todas las piezas coinciden con el registro, nada que ajustar.</translation>
    </message>
    <message>
        <source>Lent {0} to {1} until {2}{3}.</source>
        <translation>{0} prestado a {1} hasta {2}{3}.</translation>
    </message>
    <message>
        <source> for {0}</source>
        <translation> por {0}</translation>
    </message>
    <message>
        <source>, {0} day(s) late</source>
        <translation>, {0} día(s) de retraso</translation>
    </message>
    <message>
        <source>, on time</source>
        <translation>, a tiempo</translation>
    </message>
    <message>
        <source>{0} is back from {1}{2}.</source>
        <translation>{0} fue devuelto por {1}{2}.</translation>
    </message>
    <message>
        <source>Settled: {0} to {1}.</source>
        <translation>Resuelto: {0} a {1}.</translation>
    </message>
    <message>
        <source>Logged {0}: {1}, {2} min, resolved.</source>
        <translation>Registrado {0}: {1}, {2} min, resuelto.</translation>
    </message>
    <message>
        <source>Parts used (type a part code)</source>
        <translation>Piezas usadas (escriba un código de pieza)</translation>
    </message>
    <message>
        <source>Cause, coverage, fees</source>
        <translation>Causa, cobertura, cargos</translation>
    </message>
    <message>
        <source>{0} {1} ({2} left, ${3:,.2f})</source>
        <translation>{0} {1} (quedan {2}, ${3:,.2f})</translation>
    </message>
    <message>
        <source>Fee of ${0:,.2f} recorded for the business office.</source>
        <translation>Cargo de ${0:,.2f} registrado para la oficina administrativa.</translation>
    </message>
    <message>
        <source>Depot repair with {0} saved.</source>
        <translation>Reparación externa con {0} guardada.</translation>
    </message>
</context>
<context>
    <name>ReportsScreen</name>
    <message>
        <source>Reports</source>
        <translation>Informes</translation>
    </message>
    <message>
        <source>As of now</source>
        <translation>Hasta ahora</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>Export {0}…</source>
        <translation>Exportar {0}…</translation>
    </message>
    <message>
        <source>All campuses</source>
        <translation>Todos los planteles</translation>
    </message>
    <message>
        <source>Building the {0} report…</source>
        <translation>Preparando el informe {0}…</translation>
    </message>
    <message>
        <source>Choose a report, a campus and a period, then Show.</source>
        <translation>Elija un informe, un plantel y un periodo, y luego Mostrar.</translation>
    </message>
    <message>
        <source>as of {0}</source>
        <translation>al {0}</translation>
    </message>
    <message>
        <source>campus {0}</source>
        <translation>plantel {0}</translation>
    </message>
    <message>
        <source>all campuses</source>
        <translation>todos los planteles</translation>
    </message>
    <message>
        <source>This page has no tables.</source>
        <translation>Esta página no tiene tablas.</translation>
    </message>
    <message>
        <source>Tables</source>
        <translation>Tablas</translation>
    </message>
    <message>
        <source>Export the report as {0}</source>
        <translation>Exportar el informe como {0}</translation>
    </message>
    <message>
        <source>Writing {0}…</source>
        <translation>Escribiendo {0}…</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>Guardado {0}</translation>
    </message>
</context>
<context>
    <name>RoomPickScreen</name>
    <message>
        <source>Which room?</source>
        <translation>¿Qué aula?</translation>
    </message>
    <message>
        <source>Type to find a room</source>
        <translation>Escriba para buscar un aula</translation>
    </message>
</context>
<context>
    <name>Rotation</name>
    <message>
        <source>cancelled</source>
        <translation>cancelada</translation>
    </message>
    <message>
        <source>campus closed</source>
        <translation>plantel cerrado</translation>
    </message>
    <message>
        <source>A technician</source>
        <translation>Un técnico</translation>
    </message>
</context>
<context>
    <name>RotationCalendarScreen</name>
    <message>
        <source>Rotation calendar</source>
        <translation>Calendario de rotación</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Semana</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mes</translation>
    </message>
    <message>
        <source>◀ Earlier</source>
        <translation>◀ Antes</translation>
    </message>
    <message>
        <source>Later ▶</source>
        <translation>Después ▶</translation>
    </message>
    <message>
        <source>Campus</source>
        <translation>Plantel</translation>
    </message>
    <message>
        <source>Week or month</source>
        <translation>Semana o mes</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>Técnico</translation>
    </message>
    <message>
        <source>Time window</source>
        <translation>Horario</translation>
    </message>
    <message>
        <source>Cancel their visit that day</source>
        <translation>Cancelar su visita</translation>
    </message>
    <message>
        <source>Add an extra visit</source>
        <translation>Agregar visita adicional</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Horario</translation>
    </message>
    <message>
        <source>{0} {1}</source>
        <comment>a month and its year</comment>
        <translation>{0} de {1}</translation>
    </message>
    <message>
        <source>{0} (today)</source>
        <translation>{0} (hoy)</translation>
    </message>
    <message>
        <source>{0} (extra)</source>
        <translation>{0} (adicional)</translation>
    </message>
    <message>
        <source>Selected: {0}</source>
        <translation>Seleccionado: {0}</translation>
    </message>
    <message>
        <source>   (+ an extra visit, ✕ a cancelled one)</source>
        <translation>   (+ una visita adicional, ✕ una cancelada)</translation>
    </message>
</context>
<context>
    <name>RotationPanel</name>
    <message>
        <source>Technician visits</source>
        <translation>Visitas de técnicos</translation>
    </message>
    <message>
        <source>Loading the schedule…</source>
        <translation>Cargando el horario…</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Esta semana</translation>
    </message>
    <message>
        <source>Technician on campus now: {0}, until {1}</source>
        <translation>Técnico aquí: {0}, hasta las {1}</translation>
    </message>
    <message>
        <source> (extra visit)</source>
        <translation> (visita adicional)</translation>
    </message>
    <message>
        <source>No technician visit is scheduled in the next three weeks.</source>
        <translation>No hay visitas de técnicos programadas en las próximas tres semanas.</translation>
    </message>
    <message>
        <source>{0}: no visit ({1})</source>
        <translation>{0}: sin visita ({1})</translation>
    </message>
</context>
<context>
    <name>RowsModel</name>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Correo</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Inicio de sesión</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Nivel</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Aulas</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clave</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioridad</translation>
    </message>
    <message>
        <source>Icon</source>
        <translation>Ícono</translation>
    </message>
    <message>
        <source>Covered</source>
        <translation>Con soporte</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Alcance</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Orden</translation>
    </message>
    <message>
        <source>First response</source>
        <translation>Primera respuesta</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Resolución</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Horario</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>Primer día</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Último día</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Métrica</translation>
    </message>
    <message>
        <source>Objective</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Abierto</translation>
    </message>
    <message>
        <source>Last update</source>
        <translation>Última novedad</translation>
    </message>
    <message>
        <source>Loaner</source>
        <translation>Préstamo</translation>
    </message>
    <message>
        <source>To</source>
        <translation>A</translation>
    </message>
    <message>
        <source>For</source>
        <translation>Para</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Vence</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Lent at</source>
        <translation>Prestado el</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>Pieza</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>In stock</source>
        <translation>En existencia</translation>
    </message>
    <message>
        <source>Reorder at</source>
        <translation>Pedir con</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Esperado</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Contado</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Diferencia</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>What was changed</source>
        <translation>Qué se cambió</translation>
    </message>
    <message>
        <source>Why the server refused it</source>
        <translation>Por qué lo rechazó el servidor</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Campus</source>
        <translation>Plantel</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Aula</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Asignado a</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>N.º de serie</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>Visible to</source>
        <translation>Visible para</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Cambio</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>Minutos</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Registered room</source>
        <translation>Aula registrada</translation>
    </message>
    <message>
        <source>Needs a decision</source>
        <translation>Requiere decisión</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>Veces</translation>
    </message>
    <message>
        <source>First seen</source>
        <translation>Primera vez</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Última vez</translation>
    </message>
    <message>
        <source>Device or model</source>
        <translation>Dispositivo o modelo</translation>
    </message>
    <message>
        <source>Repairs</source>
        <translation>Reparaciones</translation>
    </message>
    <message>
        <source>Minutes or rate</source>
        <translation>Minutos o tasa</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detalle</translation>
    </message>
    <message>
        <source>Last audit</source>
        <translation>Última auditoría</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Días</translation>
    </message>
</context>
<context>
    <name>ScanPrompt</name>
    <message>
        <source>No, keep my report</source>
        <translation>No, conservar mi reporte</translation>
    </message>
    <message>
        <source> (your report about {0} is kept until you choose)</source>
        <translation> (su reporte sobre {0} se conserva hasta que elija)</translation>
    </message>
    <message>
        <source> (what you typed is kept until you choose)</source>
        <translation> (lo que escribió se conserva hasta que elija)</translation>
    </message>
    <message>
        <source>A tag was scanned: {0}. Report this other device instead?{1}</source>
        <translation>Se escaneó una etiqueta: {0}. ¿Reportar este otro dispositivo en su lugar?{1}</translation>
    </message>
    <message>
        <source>Yes, report {0}</source>
        <translation>Sí, reportar {0}</translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <source>Start over</source>
        <translation>Empezar de nuevo</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Technician sign-in</source>
        <translation>Inicio de sesión del técnico</translation>
    </message>
    <message>
        <source>Username (or scan your badge)</source>
        <translation>Usuario (o escanee su credencial)</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>new</source>
        <translation>nuevo</translation>
    </message>
    <message>
        <source>assigned</source>
        <translation>asignado</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>en curso</translation>
    </message>
    <message>
        <source>on hold</source>
        <translation>en espera</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>resuelto</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>cerrado</translation>
    </message>
    <message>
        <source>reopened</source>
        <translation>reabierto</translation>
    </message>
    <message>
        <source>in service</source>
        <translation>en servicio</translation>
    </message>
    <message>
        <source>in repair</source>
        <translation>en reparación</translation>
    </message>
    <message>
        <source>loaner</source>
        <translation>de préstamo</translation>
    </message>
    <message>
        <source>spare</source>
        <translation>de repuesto</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>dado de baja</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>perdido</translation>
    </message>
    <message>
        <source>student</source>
        <translation>estudiante</translation>
    </message>
    <message>
        <source>teacher</source>
        <translation>docente</translation>
    </message>
    <message>
        <source>staff</source>
        <translation>personal</translation>
    </message>
    <message>
        <source>accidental</source>
        <translation>accidental</translation>
    </message>
    <message>
        <source>intentional</source>
        <translation>intencional</translation>
    </message>
    <message>
        <source>wear</source>
        <translation>desgaste</translation>
    </message>
    <message>
        <source>defect</source>
        <translation>defecto</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocida</translation>
    </message>
</context>
<context>
    <name>StillThere</name>
    <message>
        <source>Still there?</source>
        <translation>¿Sigue ahí?</translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>Sigo aquí</translation>
    </message>
    <message>
        <source>I&apos;m still here: keep what I typed</source>
        <translation>Sigo aquí: conservar lo que escribí</translation>
    </message>
    <message>
        <source>In {0} seconds this screen starts over and what you typed is cleared.</source>
        <translation>En {0} segundos esta pantalla empieza de nuevo y se borra lo que escribió.</translation>
    </message>
</context>
<context>
    <name>SurveyScreen</name>
    <message>
        <source>How quickly was it fixed?</source>
        <translation>¿Qué tan rápido se reparó?</translation>
    </message>
    <message>
        <source>How courteous were we?</source>
        <translation>¿Qué tan amables fuimos?</translation>
    </message>
    <message>
        <source>How well did we keep you informed?</source>
        <translation>¿Qué tan bien lo mantuvimos informado?</translation>
    </message>
    <message>
        <source>How good is the fix?</source>
        <translation>¿Qué tan buena es la reparación?</translation>
    </message>
    <message>
        <source>Overall?</source>
        <translation>¿En general?</translation>
    </message>
    <message>
        <source>How did we do?</source>
        <translation>¿Qué tal lo hicimos?</translation>
    </message>
    <message>
        <source>Your school ID number or email (the one on the ticket)</source>
        <translation>Su número de estudiante o correo (el del ticket)</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source>No, it is not fixed</source>
        <translation>No, no está reparado</translation>
    </message>
    <message>
        <source>Was the problem solved?</source>
        <translation>¿Se resolvió el problema?</translation>
    </message>
    <message>
        <source>1 = poor</source>
        <translation>1 = malo</translation>
    </message>
    <message>
        <source>5 = excellent</source>
        <translation>5 = excelente</translation>
    </message>
    <message>
        <source>Anything else? (optional)</source>
        <translation>¿Algo más? (opcional)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Ticket {0} ({1}) was closed. Six quick questions:</source>
        <translation>El ticket {0} ({1}) se cerró. Seis preguntas rápidas:</translation>
    </message>
    <message>
        <source>Please answer every question.</source>
        <translation>Por favor responda todas las preguntas.</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>● Synced {0}</source>
        <translation>● Sincronizado {0}</translation>
    </message>
    <message>
        <source>{0} change waiting to send</source>
        <translation>{0} cambio pendiente de envío</translation>
    </message>
    <message>
        <source>{0} changes waiting to send</source>
        <translation>{0} cambios pendientes de envío</translation>
    </message>
    <message>
        <source>{0} refused by the server</source>
        <translation>{0} rechazados por el servidor</translation>
    </message>
    <message>
        <source>● Sync needs attention: {0}</source>
        <translation>● La sincronización necesita atención: {0}</translation>
    </message>
    <message>
        <source>● Not synced yet</source>
        <translation>● Aún sin sincronizar</translation>
    </message>
    <message>
        <source>● Offline: reports are saved here and sent when the server is back (last sync {0})</source>
        <translation>● Sin conexión: los reportes se guardan aquí y se envían cuando vuelva el servidor (última sincronización {0})</translation>
    </message>
    <message>
        <source>(the server cannot be reached)</source>
        <translation>(no se puede conectar con el servidor)</translation>
    </message>
</context>
<context>
    <name>TechFlow</name>
    <message>
        <source>Unknown tags scanned at kiosks</source>
        <translation>Etiquetas desconocidas escaneadas en los quioscos</translation>
    </message>
    <message>
        <source>Register this tag</source>
        <translation>Registrar esta etiqueta</translation>
    </message>
    <message>
        <source>Troublesome devices and models</source>
        <translation>Dispositivos y modelos problemáticos</translation>
    </message>
    <message>
        <source>Open the device</source>
        <translation>Abrir el dispositivo</translation>
    </message>
    <message>
        <source>Rooms not audited lately</source>
        <translation>Aulas sin auditoría reciente</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menú</translation>
    </message>
    <message>
        <source>That did not work. It has been written to the kiosk&apos;s log; please try again.</source>
        <translation>Eso no funcionó. Quedó anotado en el registro del quiosco; inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Retired. Its open tickets {0} have a note: close them or move the work to the replacement.</source>
        <translation>Dado de baja. Sus tickets abiertos {0} tienen una nota: ciérrelos o pase el trabajo al reemplazo.</translation>
    </message>
    <message>
        <source>Tags people scanned that match no device. Register them here.</source>
        <translation>Etiquetas escaneadas que no corresponden a ningún dispositivo. Regístrelas aquí.</translation>
    </message>
    <message>
        <source>device</source>
        <translation>dispositivo</translation>
    </message>
    <message>
        <source>model</source>
        <translation>modelo</translation>
    </message>
    <message>
        <source>all problems</source>
        <translation>todos los problemas</translation>
    </message>
    <message>
        <source>Devices with {0}+ repairs in {1} days; models whose repair rate stands out from the fleet.</source>
        <translation>Dispositivos con {0}+ reparaciones en {1} días; modelos cuya tasa de reparación destaca del conjunto.</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>Rooms without an applied audit in {0} days.</source>
        <translation>Aulas sin auditoría aplicada en {0} días.</translation>
    </message>
    <message>
        <source>never audited</source>
        <translation>nunca auditada</translation>
    </message>
    <message>
        <source>marked missing</source>
        <translation>marcado como faltante</translation>
    </message>
    <message>
        <source>left as it is</source>
        <translation>se deja como está</translation>
    </message>
    <message>
        <source>Missing from {0} ({1})</source>
        <translation>Faltantes de {0} ({1})</translation>
    </message>
    <message>
        <source>Room audit applied {0}; {1} devices not found</source>
        <translation>Auditoría de aula aplicada {0}; {1} dispositivos no encontrados</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Status at the audit</source>
        <translation>Estado en la auditoría</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Ahora</translation>
    </message>
    <message>
        <source> · missing list sent to {0}</source>
        <translation> · lista de faltantes enviada a {0}</translation>
    </message>
</context>
<context>
    <name>TechHomeScreen</name>
    <message>
        <source>Technician</source>
        <translation>Técnico</translation>
    </message>
    <message>
        <source>Scan any device at any time to open its record.</source>
        <translation>Escanee cualquier dispositivo en cualquier momento para abrir su ficha.</translation>
    </message>
    <message>
        <source>Find a device: tag, serial, model, room or assignee</source>
        <translation>Buscar un dispositivo: etiqueta, serie, modelo, aula o asignado</translation>
    </message>
    <message>
        <source>Work queue</source>
        <translation>Cola de trabajo</translation>
    </message>
    <message>
        <source>Find a device</source>
        <translation>Buscar un dispositivo</translation>
    </message>
    <message>
        <source>Room audit</source>
        <translation>Auditoría de aula</translation>
    </message>
    <message>
        <source>Unknown tags to register</source>
        <translation>Etiquetas desconocidas por registrar</translation>
    </message>
    <message>
        <source>Troublesome devices and models</source>
        <translation>Dispositivos y modelos problemáticos</translation>
    </message>
    <message>
        <source>Rooms not audited lately</source>
        <translation>Aulas sin auditoría reciente</translation>
    </message>
    <message>
        <source>Print labels</source>
        <translation>Imprimir etiquetas</translation>
    </message>
    <message>
        <source>Change this kiosk&apos;s campus</source>
        <translation>Cambiar el plantel de este quiosco</translation>
    </message>
    <message>
        <source>Repair desk: loaners, walk-ins, parts</source>
        <translation>Mesa de reparaciones: préstamos, visitas, piezas</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Informes</translation>
    </message>
    <message>
        <source>Changes the server refused</source>
        <translation>Cambios que el servidor rechazó</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>District setup</source>
        <translation>Configuración del distrito</translation>
    </message>
    <message>
        <source>Sign out (back to the walk-up kiosk)</source>
        <translation>Cerrar sesión (volver al quiosco público)</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>Salir del modo quiosco</translation>
    </message>
    <message>
        <source>My PIN and password</source>
        <translation>Mi PIN y contraseña</translation>
    </message>
    <message>
        <source>Signed in: {0}{1}</source>
        <translation>Sesión iniciada: {0}{1}</translation>
    </message>
    <message>
        <source> (admin)</source>
        <translation> (administrador)</translation>
    </message>
    <message>
        <source>Changes the server refused ({0})</source>
        <translation>Cambios que el servidor rechazó ({0})</translation>
    </message>
    <message>
        <source>No device matches “{0}”.</source>
        <translation>Ningún dispositivo coincide con «{0}».</translation>
    </message>
    <message>
        <source>The first {0} matches: type more to narrow them.</source>
        <translation>Las primeras {0} coincidencias: escriba más para acotarlas.</translation>
    </message>
    <message>
        <source>{0} matching devices. Tap one to open it.</source>
        <translation>{0} dispositivos coinciden. Toque uno para abrirlo.</translation>
    </message>
</context>
<context>
    <name>TicketQueueModel</name>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioridad</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>SLA left</source>
        <translation>SLA restante</translation>
    </message>
    <message>
        <source>Respond</source>
        <translation>Responder</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Escalado</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Antigüedad</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Aula</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categoría</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Asignado a</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>Campus</source>
        <translation>Plantel</translation>
    </message>
    <message>
        <source>closes after {0}</source>
        <translation>se cierra después del {0}</translation>
    </message>
    <message>
        <source>paused · {0}</source>
        <translation>en pausa · {0}</translation>
    </message>
    <message>
        <source>met</source>
        <translation>cumplido</translation>
    </message>
    <message>
        <source>breached</source>
        <translation>incumplido</translation>
    </message>
    <message>
        <source>75% used</source>
        <translation>75 % usado</translation>
    </message>
    <message>
        <source>Reporter said {0}; a technician changed it</source>
        <translation>Quien reportó dijo {0}; un técnico lo cambió</translation>
    </message>
</context>
<context>
    <name>TicketScreen</name>
    <message>
        <source>created</source>
        <translation>creado</translation>
    </message>
    <message>
        <source>note</source>
        <translation>nota</translation>
    </message>
    <message>
        <source>status</source>
        <translation>estado</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>prioridad</translation>
    </message>
    <message>
        <source>assignment</source>
        <translation>asignación</translation>
    </message>
    <message>
        <source>report added</source>
        <translation>reporte añadido</translation>
    </message>
    <message>
        <source>repair</source>
        <translation>reparación</translation>
    </message>
    <message>
        <source>survey</source>
        <translation>encuesta</translation>
    </message>
    <message>
        <source>escalation</source>
        <translation>escalamiento</translation>
    </message>
    <message>
        <source>reporter</source>
        <translation>quien reportó</translation>
    </message>
    <message>
        <source>system</source>
        <translation>sistema</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Assign to me</source>
        <translation>Asignarme</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Asignar</translation>
    </message>
    <message>
        <source>Device record</source>
        <translation>Ficha del dispositivo</translation>
    </message>
    <message>
        <source>Move to:</source>
        <translation>Pasar a:</translation>
    </message>
    <message>
        <source>Resolution or note for the status change</source>
        <translation>Solución o nota del cambio de estado</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Motivo (obligatorio)</translation>
    </message>
    <message>
        <source>Override priority</source>
        <translation>Cambiar la prioridad</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>Public</source>
        <translation>Pública</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Agregar nota</translation>
    </message>
    <message>
        <source>Repair: what was done</source>
        <translation>Reparación: qué se hizo</translation>
    </message>
    <message>
        <source>Parts used</source>
        <translation>Piezas usadas</translation>
    </message>
    <message>
        <source>Cost $</source>
        <translation>Costo $</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Log repair</source>
        <translation>Registrar reparación</translation>
    </message>
    <message>
        <source>{0}: met</source>
        <translation>{0}: cumplido</translation>
    </message>
    <message>
        <source>{0}: missed</source>
        <translation>{0}: incumplido</translation>
    </message>
    <message>
        <source>{0}: paused while on hold, {1} of business time left</source>
        <translation>{0}: en pausa mientras está en espera, quedan {1} de horario laboral</translation>
    </message>
    <message>
        <source>{0}: overdue since {1}</source>
        <translation>{0}: vencido desde {1}</translation>
    </message>
    <message>
        <source>{0} by {1} ({2} of business time left)</source>
        <translation>{0} antes de {1} (quedan {2} de horario laboral)</translation>
    </message>
    <message>
        <source> (reporter: {0}; override: {1})</source>
        <translation> (quien reportó: {0}; cambio: {1})</translation>
    </message>
    <message>
        <source>no reporter</source>
        <translation>sin persona que reportó</translation>
    </message>
    <message>
        <source>nobody yet</source>
        <translation>nadie todavía</translation>
    </message>
    <message>
        <source>{0} · {1}{2}&lt;br&gt;{3}&lt;br&gt;Reported by {4}{5} · assigned to {6} · {7} min logged{8}</source>
        <translation>{0} · {1}{2}&lt;br&gt;{3}&lt;br&gt;Reportado por {4}{5} · asignado a {6} · {7} min registrados{8}</translation>
    </message>
    <message>
        <source>Closed {0}</source>
        <translation>Cerrado {0}</translation>
    </message>
    <message>
        <source>First response</source>
        <translation>Primera respuesta</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Resolver</translation>
    </message>
    <message>
        <source>Waiting for the reporter: closes by itself after {0} unless they say it is not solved</source>
        <translation>Esperando a quien reportó: se cierra solo después del {0} salvo que diga que no está resuelto</translation>
    </message>
    <message>
        <source>Survey: {0}</source>
        <translation>Encuesta: {0}</translation>
    </message>
    <message>
        <source>everyone</source>
        <translation>todos</translation>
    </message>
    <message>
        <source>staff</source>
        <translation>personal</translation>
    </message>
    <message>
        <source>Nobody (unassign)</source>
        <translation>Nadie (quitar asignación)</translation>
    </message>
    <message>
        <source>The reporter&apos;s photo</source>
        <translation>La foto de quien reportó</translation>
    </message>
</context>
<context>
    <name>Triage</name>
    <message>
        <source>accidental-damage plan {0}: claim {1} of {2} this school year</source>
        <translation>plan de daños accidentales {0}: reclamo {1} de {2} este año escolar</translation>
    </message>
    <message>
        <source>not covered: plan {0} has used all {1} claims this school year</source>
        <translation>no cubierto: el plan {0} ya usó sus {1} reclamos de este año escolar</translation>
    </message>
    <message>
        <source>not covered: no accidental-damage plan for this device</source>
        <translation>no cubierto: ningún plan de daños accidentales cubre este dispositivo</translation>
    </message>
    <message>
        <source>in warranty until {0}</source>
        <translation>en garantía hasta el {0}</translation>
    </message>
    <message>
        <source>not covered: warranty ended {0}</source>
        <translation>no cubierto: la garantía terminó el {0}</translation>
    </message>
    <message>
        <source>not covered: intentional damage</source>
        <translation>no cubierto: daño intencional</translation>
    </message>
    <message>
        <source>in warranty</source>
        <translation>en garantía</translation>
    </message>
    <message>
        <source>accidental-damage plan {0}</source>
        <translation>plan de daños accidentales {0}</translation>
    </message>
    <message>
        <source>not covered</source>
        <translation>no cubierto</translation>
    </message>
</context>
<context>
    <name>TriageScreen</name>
    <message>
        <source>Cause, coverage and fees</source>
        <translation>Causa, cobertura y cargos</translation>
    </message>
    <message>
        <source>Cause: not recorded</source>
        <translation>Causa: sin registrar</translation>
    </message>
    <message>
        <source>Save cause and code</source>
        <translation>Guardar causa y código</translation>
    </message>
    <message>
        <source>Fee $</source>
        <translation>Cargo $</translation>
    </message>
    <message>
        <source>Reason (for the business office)</source>
        <translation>Motivo (para la oficina administrativa)</translation>
    </message>
    <message>
        <source>Record fee</source>
        <translation>Registrar cargo</translation>
    </message>
    <message>
        <source>Depot or vendor repair</source>
        <translation>Reparación externa o del proveedor</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>Proveedor</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>Número de caso</translation>
    </message>
    <message>
        <source>Shipped YYYY-MM-DD</source>
        <translation>Enviado AAAA-MM-DD</translation>
    </message>
    <message>
        <source>Returned YYYY-MM-DD</source>
        <translation>Devuelto AAAA-MM-DD</translation>
    </message>
    <message>
        <source>Cost $</source>
        <translation>Costo $</translation>
    </message>
    <message>
        <source>Save depot repair</source>
        <translation>Guardar reparación externa</translation>
    </message>
    <message>
        <source>Ticket {0}</source>
        <translation>Ticket {0}</translation>
    </message>
    <message>
        <source>Resolution code: none</source>
        <translation>Código de resolución: ninguno</translation>
    </message>
    <message>
        <source>Resolution code (once resolved)</source>
        <translation>Código de resolución (una vez resuelto)</translation>
    </message>
    <message>
        <source>No cause recorded yet: the coverage shows once it is.</source>
        <translation>Aún no hay causa registrada: la cobertura aparece cuando se registre.</translation>
    </message>
    <message>
        <source>{0}: {1}.</source>
        <translation>{0}: {1}.</translation>
    </message>
    <message>
        <source>Damage incident {0} of this reporter in {1}: {2}</source>
        <translation>Incidente de daño {0} de esta persona en {1}: {2}</translation>
    </message>
    <message>
        <source> (fee ${0:,.2f})</source>
        <translation> (cargo ${0:,.2f})</translation>
    </message>
    <message>
        <source>Damage incident {0}, {1}</source>
        <translation>Incidente de daño {0}, {1}</translation>
    </message>
</context>
<context>
    <name>TypeTagScreen</name>
    <message>
        <source>Type the tag</source>
        <translation>Escribir la etiqueta</translation>
    </message>
    <message>
        <source>Asset tag, e.g. DS104233</source>
        <translation>Etiqueta de inventario, p. ej. DS104233</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>The tag is the sticker with a barcode, usually on the bottom of the device.</source>
        <translation>La etiqueta es la pegatina con código de barras, normalmente en la parte de abajo del dispositivo.</translation>
    </message>
</context>
<context>
    <name>UnknownTagScreen</name>
    <message>
        <source>We don&apos;t know this tag</source>
        <translation>No conocemos esta etiqueta</translation>
    </message>
    <message>
        <source>A technician has been told, so they can register the device. You can still report the problem now.</source>
        <translation>Ya avisamos a un técnico para que registre el dispositivo. Aun así puede reportar el problema ahora.</translation>
    </message>
    <message>
        <source>Report the problem anyway</source>
        <translation>Reportar el problema de todos modos</translation>
    </message>
    <message>
        <source>Type the tag again</source>
        <translation>Escribir la etiqueta otra vez</translation>
    </message>
    <message>
        <source>No device with tag {0} is registered.</source>
        <translation>No hay ningún dispositivo registrado con la etiqueta {0}.</translation>
    </message>
</context>
<context>
    <name>Updates</name>
    <message>
        <source>Ticket received</source>
        <translation>Ticket recibido</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Actualización</translation>
    </message>
    <message>
        <source>Status: {0}</source>
        <translation>Estado: {0}</translation>
    </message>
</context>
<context>
    <name>WalkinScreen</name>
    <message>
        <source>Reseated keyboard or cable</source>
        <translation>Reacomodé el teclado o el cable</translation>
    </message>
    <message>
        <source>Powerwashed and re-enrolled</source>
        <translation>Hice Powerwash y lo reinscribí</translation>
    </message>
    <message>
        <source>Cleared cache and profile</source>
        <translation>Borré la caché y el perfil</translation>
    </message>
    <message>
        <source>Swapped the charger</source>
        <translation>Cambié el cargador</translation>
    </message>
    <message>
        <source>Reconnected to Wi-Fi</source>
        <translation>Reconecté al Wi-Fi</translation>
    </message>
    <message>
        <source>Showed how to fix it</source>
        <translation>Enseñé cómo arreglarlo</translation>
    </message>
    <message>
        <source>Walk-in fixed on the spot</source>
        <translation>Visita resuelta en el momento</translation>
    </message>
    <message>
        <source>Scan the device, tap what you did, and it is logged and resolved.</source>
        <translation>Escanee el dispositivo, toque lo que hizo y queda registrado y resuelto.</translation>
    </message>
    <message>
        <source>Device tag (scan it)</source>
        <translation>Etiqueta del dispositivo (escanéala)</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>cause: not recorded</source>
        <translation>causa: sin registrar</translation>
    </message>
    <message>
        <source>Or type what was done</source>
        <translation>O escriba lo que se hizo</translation>
    </message>
    <message>
        <source>Log walk-in</source>
        <translation>Registrar visita</translation>
    </message>
</context>
</TS>
