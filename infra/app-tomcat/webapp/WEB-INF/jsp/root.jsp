<%-- GET / → 303 /cart --%>
<%@ page session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/contract.jspf" %><%
  Exchange x = new Exchange(request, response, out);
  if (!x.at("/") || !x.isGet()) x.notFound();
  else x.redirect("/cart");
%>
